//! Quotes: what a customer is offered before an invoice. A quote is a draft until it is sent
//! (and numbered), then accepted or declined; a sent quote past its valid-until day is
//! expired and can no longer be accepted.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a quote stands, derived from what was recorded and today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuoteStatus {
    Draft,
    Sent,
    Accepted,
    Declined,
    Expired,
}

impl QuoteStatus {
    pub fn label(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Declined => "declined",
            QuoteStatus::Expired => "expired",
        }
    }
}

/// The status of a quote recorded as `stored` ("draft", "sent", "accepted", "declined").
pub fn quote_status(stored: &str, valid_until: NaiveDate, today: NaiveDate) -> QuoteStatus {
    match stored {
        "accepted" => QuoteStatus::Accepted,
        "declined" => QuoteStatus::Declined,
        "sent" if today > valid_until => QuoteStatus::Expired,
        "sent" => QuoteStatus::Sent,
        _ => QuoteStatus::Draft,
    }
}

/// Why a step is refused for a quote in `status`, if it is.
pub fn refuse_step(status: QuoteStatus, step: QuoteStep) -> Option<&'static str> {
    match (step, status) {
        (QuoteStep::Edit | QuoteStep::Send, QuoteStatus::Draft) => None,
        (QuoteStep::Edit | QuoteStep::Send, _) => Some("only a draft quote can be changed or sent"),
        (QuoteStep::Accept | QuoteStep::Decline, QuoteStatus::Sent) => None,
        (QuoteStep::Accept, QuoteStatus::Expired) => {
            Some("this quote has expired; send a new one with today's terms")
        }
        (QuoteStep::Decline, QuoteStatus::Expired) => None,
        (QuoteStep::Accept | QuoteStep::Decline, QuoteStatus::Draft) => {
            Some("send the quote before recording the customer's answer")
        }
        (QuoteStep::Accept | QuoteStep::Decline, _) => {
            Some("the customer has already answered this quote")
        }
        (QuoteStep::Convert, QuoteStatus::Sent | QuoteStatus::Accepted) => None,
        (QuoteStep::Convert, QuoteStatus::Expired) => {
            Some("this quote has expired; send a new one with today's terms")
        }
        (QuoteStep::Convert, QuoteStatus::Draft) => Some("send the quote before invoicing it"),
        (QuoteStep::Convert, QuoteStatus::Declined) => Some("a declined quote cannot be invoiced"),
    }
}

/// The things one can do to a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteStep {
    Edit,
    Send,
    Accept,
    Decline,
    Convert,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::day;

    #[test]
    fn a_sent_quote_past_its_valid_until_day_is_expired_and_cannot_be_accepted() {
        let status = quote_status("sent", day("2026-03-31"), day("2026-04-01"));

        assert_eq!(status, QuoteStatus::Expired);
        assert!(refuse_step(status, QuoteStep::Accept).is_some());
        assert!(refuse_step(status, QuoteStep::Decline).is_none());
    }

    #[test]
    fn a_sent_quote_is_still_open_on_its_last_day_and_converts_to_an_invoice() {
        let status = quote_status("sent", day("2026-03-31"), day("2026-03-31"));

        assert_eq!(status, QuoteStatus::Sent);
        assert!(refuse_step(status, QuoteStep::Convert).is_none());
        assert!(refuse_step(QuoteStatus::Declined, QuoteStep::Convert).is_some());
        assert!(refuse_step(QuoteStatus::Accepted, QuoteStep::Edit).is_some());
    }
}
