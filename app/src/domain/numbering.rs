//! Document numbers: a pattern of literal text with a counter (`{NNNN}`, zero-padded to the
//! number of N) and optionally the year (`{YYYY}`), which restarts the counter every year.
//! The year is the business's own calendar year at the moment the document is numbered.

use serde::{Deserialize, Serialize};

/// The kinds of document that are numbered, each with its own series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
    Quote,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::Invoice,
        DocumentKind::CreditNote,
        DocumentKind::Quote,
    ];

    /// The key stored in `numbering.kind` and used as the running counter's name.
    pub fn key(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
            DocumentKind::Quote => "quote",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "Invoices",
            DocumentKind::CreditNote => "Credit notes",
            DocumentKind::Quote => "Quotes",
        }
    }
}

/// Why a pattern was refused; shown beside the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("a pattern needs a counter such as {{NNNN}}")]
    NoCounter,
    #[error("use the counter {{N…}} only once")]
    TwoCounters,
    #[error("use {{YYYY}} at most once")]
    TwoYears,
    #[error("the counter needs between 1 and 9 digits")]
    CounterWidth,
    #[error("unknown placeholder {{{0}}}; use {{YYYY}} and {{NNNN}}")]
    UnknownPlaceholder(String),
    #[error("a brace is not closed")]
    Unclosed,
    #[error("keep the pattern to 40 characters or fewer")]
    TooLong,
    #[error("use letters, digits, spaces and - / . _ # only, so numbers read and sort well")]
    BadCharacter,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    Counter(usize),
}

/// A validated numbering pattern such as `INV-{YYYY}-{NNNN}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberPattern {
    text: String,
    parts: Vec<Part>,
}

impl NumberPattern {
    pub fn parse(text: &str) -> Result<NumberPattern, PatternError> {
        let text = text.trim();
        if text.chars().count() > 40 {
            return Err(PatternError::TooLong);
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}').ok_or(PatternError::Unclosed)?;
                    parts.push(placeholder(&rest[1..end])?);
                    rest = &rest[end + 1..];
                }
                Some(start) => {
                    parts.push(literal(&rest[..start])?);
                    rest = &rest[start..];
                }
                None => {
                    parts.push(literal(rest)?);
                    rest = "";
                }
            }
        }
        let counters = parts
            .iter()
            .filter(|p| matches!(p, Part::Counter(_)))
            .count();
        let years = parts.iter().filter(|p| matches!(p, Part::Year)).count();
        match (counters, years) {
            (0, _) => Err(PatternError::NoCounter),
            (2.., _) => Err(PatternError::TwoCounters),
            (_, 2..) => Err(PatternError::TwoYears),
            _ => Ok(NumberPattern {
                text: text.to_string(),
                parts,
            }),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the counter restarts at 1 every year.
    pub fn is_yearly(&self) -> bool {
        self.parts.contains(&Part::Year)
    }

    /// The counter (a `number_series` name) a document of `kind` takes its number from in
    /// `year`: one running counter per kind, or one per kind and year.
    pub fn series(&self, kind: DocumentKind, year: i32) -> String {
        if self.is_yearly() {
            format!("{}-{year}", kind.key())
        } else {
            kind.key().to_string()
        }
    }

    /// The printed number for counter value `sequence` in `year`. A counter wider than its
    /// padding prints all its digits.
    pub fn format(&self, year: i32, sequence: i64) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(t) => t.clone(),
                Part::Year => format!("{year:04}"),
                Part::Counter(width) => format!("{sequence:0width$}"),
            })
            .collect()
    }

    /// The literal text, placeholders left out: two kinds whose patterns share it could print
    /// the same number, so they must differ.
    pub fn literal_text(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }
}

fn placeholder(inner: &str) -> Result<Part, PatternError> {
    if inner == "YYYY" {
        return Ok(Part::Year);
    }
    if !inner.is_empty() && inner.chars().all(|c| c == 'N') {
        return match inner.len() {
            1..=9 => Ok(Part::Counter(inner.len())),
            _ => Err(PatternError::CounterWidth),
        };
    }
    if inner.contains('{') {
        return Err(PatternError::Unclosed);
    }
    Err(PatternError::UnknownPlaceholder(inner.to_string()))
}

fn literal(text: &str) -> Result<Part, PatternError> {
    if text.contains('}') {
        return Err(PatternError::BadCharacter);
    }
    let allowed = |c: char| c.is_alphanumeric() || " -/._#".contains(c);
    if !text.chars().all(allowed) {
        return Err(PatternError::BadCharacter);
    }
    Ok(Part::Text(text.to_string()))
}

/// The pattern a new book starts with for each kind.
pub fn default_pattern(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Invoice => "INV-{YYYY}-{NNNN}",
        DocumentKind::CreditNote => "CN-{YYYY}-{NNNN}",
        DocumentKind::Quote => "QUO-{YYYY}-{NNNN}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yearly_pattern_prints_the_year_and_the_padded_counter() {
        let pattern = NumberPattern::parse("INV-{YYYY}-{NNNN}").unwrap();

        assert_eq!(pattern.format(2027, 1), "INV-2027-0001");
        assert_eq!(pattern.format(2027, 12345), "INV-2027-12345");
        assert!(pattern.is_yearly());
        assert_eq!(pattern.series(DocumentKind::Invoice, 2027), "invoice-2027");
        assert_eq!(
            pattern.series(DocumentKind::CreditNote, 2027),
            "credit_note-2027"
        );
    }

    #[test]
    fn the_running_pattern_of_existing_books_keeps_one_counter() {
        let pattern = NumberPattern::parse("INV-{NNNNN}").unwrap();

        assert_eq!(pattern.format(2027, 42), "INV-00042");
        assert!(!pattern.is_yearly());
        assert_eq!(pattern.series(DocumentKind::Invoice, 2027), "invoice");
    }

    #[test]
    fn patterns_without_one_counter_or_with_odd_text_are_refused() {
        let refused = |p: &str| NumberPattern::parse(p).unwrap_err();

        assert_eq!(refused("INV-{YYYY}"), PatternError::NoCounter);
        assert_eq!(refused("{NN}-{NN}"), PatternError::TwoCounters);
        assert_eq!(refused("{YYYY}{YYYY}{NN}"), PatternError::TwoYears);
        assert_eq!(
            refused("INV-{MM}-{NN}"),
            PatternError::UnknownPlaceholder("MM".into())
        );
        assert_eq!(refused("INV-{NNNN"), PatternError::Unclosed);
        assert_eq!(refused("INV-{NNNNNNNNNN}"), PatternError::CounterWidth);
        assert_eq!(refused("INV:{NNNN}"), PatternError::BadCharacter);
        assert_eq!(
            refused(&format!("{}{{NN}}", "X".repeat(40))),
            PatternError::TooLong
        );
    }

    #[test]
    fn the_literal_text_leaves_the_placeholders_out() {
        let pattern = NumberPattern::parse(" CN/{YYYY}/{NNN} ").unwrap();

        assert_eq!(pattern.as_str(), "CN/{YYYY}/{NNN}");
        assert_eq!(pattern.literal_text(), "CN//");
        assert_eq!(pattern.format(2026, 7), "CN/2026/007");
    }

    #[test]
    fn the_default_patterns_parse() {
        for kind in DocumentKind::ALL {
            assert!(NumberPattern::parse(default_pattern(kind)).is_ok());
        }
    }
}
