//! Turning a file's bytes into text. Banks export UTF-8 (with or without a byte order mark),
//! Windows-1252 or ISO-8859-1, and now and then UTF-16 with a byte order mark.

use super::{Location, Problem};
use serde::{Deserialize, Serialize};

/// The character encoding of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextEncoding {
    Utf8,
    Windows1252,
    /// ISO-8859-1, byte for byte; the codes 0x80–0x9F are control characters here.
    Latin1,
    Utf16Le,
    Utf16Be,
}

/// Decodes with the given encoding, or recognises it: a byte order mark decides; otherwise
/// valid UTF-8 is UTF-8 and anything else is read as Windows-1252, which agrees with
/// ISO-8859-1 on every printable character. A byte order mark is never part of the text.
pub fn decode(
    bytes: &[u8],
    encoding: Option<TextEncoding>,
) -> Result<(String, TextEncoding), Problem> {
    let encoding = encoding.unwrap_or_else(|| sniff(bytes));
    let text = match encoding {
        TextEncoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            std::str::from_utf8(body)
                .map_err(|e| not_utf8(body, e.valid_up_to()))?
                .to_string()
        }
        TextEncoding::Windows1252 => with(encoding_rs::WINDOWS_1252, bytes),
        TextEncoding::Latin1 => bytes.iter().map(|b| char::from(*b)).collect(),
        TextEncoding::Utf16Le => with(encoding_rs::UTF_16LE, bytes),
        TextEncoding::Utf16Be => with(encoding_rs::UTF_16BE, bytes),
    };
    Ok((text, encoding))
}

fn sniff(bytes: &[u8]) -> TextEncoding {
    if bytes.starts_with(b"\xFF\xFE") {
        TextEncoding::Utf16Le
    } else if bytes.starts_with(b"\xFE\xFF") {
        TextEncoding::Utf16Be
    } else if std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    }
}

fn with(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> String {
    // `decode` removes a byte order mark of this encoding and replaces malformed sequences.
    encoding.decode(bytes).0.into_owned()
}

fn not_utf8(body: &[u8], valid_up_to: usize) -> Problem {
    let line = 1 + body[..valid_up_to].iter().filter(|b| **b == b'\n').count();
    Problem {
        location: Location::Line(line),
        message: "the text is not UTF-8; choose the file's encoding".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_recognised_and_the_byte_order_mark_dropped() {
        let (text, enc) = decode(b"\xEF\xBB\xBFDate;Betrag", None).unwrap();
        assert_eq!((text.as_str(), enc), ("Date;Betrag", TextEncoding::Utf8));

        let (text, enc) = decode(b"Op\xE9ration \x80", None).unwrap();
        assert_eq!(
            (text.as_str(), enc),
            ("Opération €", TextEncoding::Windows1252)
        );

        let (text, _) = decode(b"\xFF\xFEa\0\xE9\0", None).unwrap();
        assert_eq!(text, "aé");
    }

    #[test]
    fn latin1_reads_bytes_as_they_are() {
        let (text, _) = decode(b"caf\xE9", Some(TextEncoding::Latin1)).unwrap();
        assert_eq!(text, "café");
    }

    #[test]
    fn invalid_utf8_under_a_utf8_profile_names_the_line() {
        let problem = decode(b"a\nb\n\xE9", Some(TextEncoding::Utf8)).unwrap_err();
        assert_eq!(problem.location, Location::Line(3));
    }
}
