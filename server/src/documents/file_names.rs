//! Names of uploaded files: made safe to keep and to send back in a Content-Disposition
//! header, whatever a client put in X-File-Name.

/// `inline; filename="…"` with an ASCII stand-in, plus the exact name in RFC 5987 form.
pub fn inline_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let exact: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{exact}")
}

/// The name a file is kept under: percent-decoded, without any folder part, control or
/// direction-changing characters, or characters file systems refuse; at most 100 characters.
pub fn safe_file_name(raw: &str) -> String {
    let decoded = percent_decode(raw);
    let base = decoded.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
                && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let short: String = kept
        .trim()
        .trim_start_matches('.')
        .trim_start()
        .chars()
        .take(100)
        .collect();
    let short = short.trim_end();
    if short.is_empty() {
        "receipt".to_string()
    } else {
        short.to_string()
    }
}

/// `%2F`-style escapes decoded; anything that is not a valid escape is kept as typed.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn file_names_lose_folders_control_characters_and_excess_length() {
        let long = "a".repeat(150) + ".pdf";

        let names = [
            safe_file_name("..%2F..%2Fetc%2Fpasswd"),
            safe_file_name("C:\\Users\\me\\receipt.jpg"),
            safe_file_name("bad\u{0}na\u{202E}me\r\n.png"),
            safe_file_name("%E2%82%AC caf%C3%A9.pdf"),
            safe_file_name("../.."),
            safe_file_name(&long),
        ];

        assert_eq!(names[0], "passwd");
        assert_eq!(names[1], "receipt.jpg");
        assert_eq!(names[2], "badname.png");
        assert_eq!(names[3], "€ café.pdf");
        assert_eq!(names[4], "receipt");
        assert_eq!(names[5].chars().count(), 100);
    }
}
