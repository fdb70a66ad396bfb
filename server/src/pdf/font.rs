//! The typefaces documents are set in, DejaVu Sans and DejaVu Sans Bold (server/fonts, under
//! the Bitstream Vera licence): looking characters up, their widths for layout, and the
//! glyphs one document uses, which is all the file embeds of each font.

use super::Font;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use subsetter::GlyphRemapper;

static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// One parsed typeface with the figures a PDF font descriptor asks for, in 1/1000 em.
pub(super) struct Face {
    pub name: &'static str,
    pub data: &'static [u8],
    face: ttf_parser::Face<'static>,
    scale: f32,
    /// The glyph shown for a character the font lacks: its question mark.
    fallback: u16,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Face {
        // The fonts are part of the binary; a parse failure is a build mistake, not input.
        let face = ttf_parser::Face::parse(data, 0).expect("the embedded font parses");
        let scale = 1000.0 / f32::from(face.units_per_em());
        let rect = face.global_bounding_box();
        let fallback = face.glyph_index('?').map_or(0, |g| g.0);
        Face {
            name,
            data,
            scale,
            fallback,
            ascent: f32::from(face.ascender()) * scale,
            descent: f32::from(face.descender()) * scale,
            cap_height: f32::from(face.capital_height().unwrap_or(face.ascender())) * scale,
            bbox: [rect.x_min, rect.y_min, rect.x_max, rect.y_max].map(|v| f32::from(v) * scale),
            face,
        }
    }

    /// The glyph that shows `c`: its own, a space for control characters (tabs), or a question
    /// mark when the font has none (emoji, CJK).
    pub fn glyph(&self, c: char) -> u16 {
        let c = if c.is_control() { ' ' } else { c };
        self.face.glyph_index(c).map_or(self.fallback, |g| g.0)
    }

    /// Whether `c` is drawn with its own glyph rather than the stand-in.
    pub fn has(&self, c: char) -> bool {
        c.is_control() || self.face.glyph_index(c).is_some()
    }

    /// A glyph's advance width in 1/1000 em.
    pub fn advance(&self, glyph: u16) -> f32 {
        let units = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        f32::from(units) * self.scale
    }

    /// A character's advance width in 1/1000 em.
    pub fn width(&self, c: char) -> f32 {
        self.advance(self.glyph(c))
    }
}

/// The parsed face of `font`, read once per process.
pub(super) fn face(font: Font) -> &'static Face {
    static REGULAR: OnceLock<Face> = OnceLock::new();
    static BOLD: OnceLock<Face> = OnceLock::new();
    match font {
        Font::Regular => REGULAR.get_or_init(|| Face::load("DejaVuSans", REGULAR_TTF)),
        Font::Bold => BOLD.get_or_init(|| Face::load("DejaVuSans-Bold", BOLD_TTF)),
    }
}

/// The glyphs of one font that a document has drawn so far. Glyphs are numbered in the order
/// they are first used, and those numbers are what content streams show (as two-byte codes,
/// `Identity-H`) and what the embedded subset is renumbered to.
pub(super) struct UsedGlyphs {
    pub font: Font,
    pub remapper: GlyphRemapper,
    /// New glyph number → the text it stands for, for the ToUnicode map.
    pub text: BTreeMap<u16, char>,
}

impl UsedGlyphs {
    pub fn new(font: Font) -> Self {
        UsedGlyphs {
            font,
            remapper: GlyphRemapper::new(),
            text: BTreeMap::new(),
        }
    }

    /// The two-byte codes that draw `text`, remembering every glyph it needs.
    pub fn encode(&mut self, text: &str) -> Vec<u16> {
        let face = face(self.font);
        text.chars()
            .map(|c| {
                let code = self.remapper.remap(face.glyph(c));
                let shown = if face.has(c) && !c.is_control() {
                    c
                } else if c.is_control() {
                    ' '
                } else {
                    '?'
                };
                self.text.entry(code).or_insert(shown);
                code
            })
            .collect()
    }

    /// Whether the document drew anything in this font.
    pub fn is_used(&self) -> bool {
        !self.text.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_beyond_latin_1_have_their_own_glyphs_and_widths() {
        let regular = face(Font::Regular);

        for c in "Zürich Café – Ελλάδα – Łódź – €".chars() {
            assert!(regular.has(c), "{c:?} has no glyph");
        }

        assert_ne!(regular.glyph('Ł'), regular.glyph('?'));
        assert_eq!(regular.glyph('漢'), regular.glyph('?'));
        assert_eq!(regular.glyph('\t'), regular.glyph(' '));
        assert!(regular.width('W') > regular.width('i'));
        assert!(face(Font::Bold).width('a') > regular.width('a'));
    }

    #[test]
    fn glyphs_are_numbered_in_order_of_first_use_after_notdef() {
        let mut used = UsedGlyphs::new(Font::Regular);

        let codes = used.encode("abca漢");

        assert_eq!(codes, [1, 2, 3, 1, 4]);
        assert_eq!(used.text.get(&4), Some(&'?'));
        assert_eq!(used.text.get(&2), Some(&'b'));
    }
}
