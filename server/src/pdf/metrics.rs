//! Text measurement for layout: widths from the embedded fonts' advance widths, and line
//! wrapping.

use super::font::face;
use super::Font;

fn units(c: char, font: Font) -> f32 {
    face(font).width(c)
}

/// How wide `text` is when drawn at `size` points in `font`, in points.
pub fn width_of(text: &str, size: f32, font: Font) -> f32 {
    let total: f32 = text.chars().map(|c| units(c, font)).sum();
    total * size / 1000.0
}

/// Breaks `text` into lines no wider than `max_width` points: at spaces where it can, inside a
/// word only when the word alone is too wide. Each `\n` starts a new line, so an address
/// keeps its lines; runs of spaces shrink to one. Returns one string per line.
pub fn wrap(text: &str, max_width: f32, size: f32, font: Font) -> Vec<String> {
    // Widths are compared in font units so that rounding cannot flip a fit.
    let limit = max_width.max(0.0) * 1000.0 / size.max(f32::MIN_POSITIVE) + 0.001;
    let space = units(' ', font);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_units = 0.0;
        for word in paragraph.split_whitespace() {
            let word_units: f32 = word.chars().map(|c| units(c, font)).sum();
            if !line.is_empty() && line_units + space + word_units <= limit {
                line.push(' ');
                line.push_str(word);
                line_units += space + word_units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_units = 0.0;
            for c in word.chars() {
                let c_units = units(c, font);
                if !line.is_empty() && line_units + c_units > limit {
                    lines.push(std::mem::take(&mut line));
                    line_units = 0.0;
                }
                line.push(c);
                line_units += c_units;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_fonts_advance_widths() {
        // DejaVu Sans: H 1540, e 1260, l 569, o 1253 units of 2048 per em.
        let hello = (1540.0 + 1260.0 + 569.0 * 2.0 + 1253.0) / 2048.0 * 10.0;
        assert!((width_of("Hello", 10.0, Font::Regular) - hello).abs() < 1e-3);
        assert!(width_of("Hello", 10.0, Font::Bold) > width_of("Hello", 10.0, Font::Regular));
        assert!(width_of("Łódź", 10.0, Font::Regular) > 0.0);
    }

    #[test]
    fn wrapping_breaks_at_spaces_keeps_newlines_and_splits_only_overlong_words() {
        let text = "The quick brown fox jumps over the lazy dog\nSecond  line";
        let lines = wrap(text, 80.0, 10.0, Font::Regular);
        assert_eq!(
            lines,
            [
                "The quick",
                "brown fox",
                "jumps over the",
                "lazy dog",
                "Second line"
            ]
        );
        for pair in lines[..4].windows(2) {
            let width = |s: &str| width_of(s, 10.0, Font::Regular);
            assert!(width(&pair[0]) <= 80.0);
            let first_word = pair[1].split(' ').next().unwrap();
            assert!(
                width(&format!("{} {first_word}", pair[0])) > 80.0,
                "{pair:?} could share a line"
            );
        }
        let long = wrap("IBAN DE89370400440532013000", 60.0, 10.0, Font::Regular);
        assert_eq!(long.concat(), "IBANDE89370400440532013000");
        assert!(long
            .iter()
            .all(|l| width_of(l, 10.0, Font::Regular) <= 60.0));
        assert_eq!(wrap("", 50.0, 10.0, Font::Regular), [""]);
    }
}
