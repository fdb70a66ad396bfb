//! The content stream of one page: drawing operators, and the colours and line width in force
//! so that each is set only when it changes.

use super::Color;

/// The content stream of one page, with the graphics state it has set so far.
pub(super) struct Page {
    pub content: Vec<u8>,
    fill: Color,
    stroke: Color,
    line_width: f32,
}

impl Page {
    pub fn new() -> Self {
        Page {
            content: Vec::new(),
            fill: Color::BLACK,
            stroke: Color::BLACK,
            line_width: 1.0,
        }
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.content.extend_from_slice(bytes);
    }

    pub fn nums(&mut self, args: &[f32]) {
        for &v in args {
            self.raw(number(v).as_bytes());
            self.raw(b" ");
        }
    }

    pub fn ops(&mut self, args: &[f32], op: &str) {
        self.nums(args);
        self.raw(op.as_bytes());
        self.raw(b"\n");
    }

    pub fn set_fill(&mut self, color: Color) {
        if self.fill != color {
            match color {
                Color::Gray(g) => self.ops(&[g], "g"),
                Color::Rgb(r, g, b) => self.ops(&[r, g, b], "rg"),
            }
            self.fill = color;
        }
    }

    pub fn set_stroke(&mut self, color: Color, width: f32) {
        if self.stroke != color {
            match color {
                Color::Gray(g) => self.ops(&[g], "G"),
                Color::Rgb(r, g, b) => self.ops(&[r, g, b], "RG"),
            }
            self.stroke = color;
        }
        if self.line_width != width {
            self.ops(&[width], "w");
            self.line_width = width;
        }
    }
}

/// `v` as a PDF number: at most two decimals, no exponent, no negative zero.
pub(super) fn number(v: f32) -> String {
    let rounded = if v.is_finite() {
        (v * 100.0).round() / 100.0
    } else {
        0.0
    };
    if rounded == 0.0 {
        "0".to_owned()
    } else {
        rounded.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.345_67), "12.35");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(f32::NAN), "0");
        assert_eq!(number(0.5), "0.5");
    }
}
