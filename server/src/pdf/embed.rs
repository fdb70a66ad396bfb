//! Embedding one font as PDF objects: a Type0 font with Identity-H encoding over a
//! CIDFontType2 holding the subset of the TrueType glyphs the document drew, their widths,
//! and a ToUnicode map so that viewers can search and copy the text.

use super::content::number;
use super::font::{face, Face, UsedGlyphs};
use super::image::deflate;
use super::writer::Writer;
use std::fmt::Write as _;

/// Writes the font's objects from `id` on (the Type0 font itself is `id`); returns the next
/// free id.
pub(super) fn write_font(w: &mut Writer, id: usize, used: &UsedGlyphs) -> usize {
    let face = face(used.font);
    let (cid_font, descriptor, file, to_unicode) = (id + 1, id + 2, id + 3, id + 4);
    let name = format!("{}+{}", subset_tag(used), face.name);

    w.object(
        id,
        &format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
             /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
        ),
    );
    w.object(
        cid_font,
        &format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo \
             << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \
             {descriptor} 0 R /DW 0 /W [0 [{}]] /CIDToGIDMap /Identity >>",
            widths(face, used)
        ),
    );
    let [x0, y0, x1, y1] = face.bbox.map(number);
    w.object(
        descriptor,
        &format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{x0} {y0} {x1} {y1}] \
             /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {file} 0 R >>",
            number(face.ascent),
            number(face.descent),
            number(face.cap_height)
        ),
    );
    // The subset renumbers glyphs exactly as the remapper did, so a code in the content
    // stream is both the CID and the glyph index in the embedded font.
    let program =
        subsetter::subset(face.data, 0, &used.remapper).expect("the embedded font can be subset");
    w.stream(
        file,
        &format!("/Filter /FlateDecode /Length1 {}", program.len()),
        &deflate(&program),
    );
    w.stream(
        to_unicode,
        "/Filter /FlateDecode",
        &deflate(to_unicode_cmap(used).as_bytes()),
    );
    id + 5
}

/// Advance widths of glyphs 0, 1, 2… in 1/1000 em, as the `W` array lists them.
fn widths(face: &Face, used: &UsedGlyphs) -> String {
    used.remapper
        .remapped_gids()
        .map(|glyph| number(face.advance(glyph)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Six capital letters naming this subset (PDF 32000-1, 9.6.4), derived from the glyphs so
/// that two different subsets of one font in a viewer never share a name.
fn subset_tag(used: &UsedGlyphs) -> String {
    // FNV-1a: short, stable across runs and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for glyph in used.remapper.remapped_gids() {
        for byte in glyph.to_be_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

/// The CMap from two-byte codes to the Unicode text they show.
fn to_unicode_cmap(used: &UsedGlyphs) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = used.text.iter().collect();
    // A bfchar block may hold at most 100 entries.
    for block in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", block.len());
        for (code, c) in block {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(cmap, "<{code:04X}> <{hex}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::Font;

    #[test]
    fn the_unicode_map_lists_each_code_once_with_its_text() {
        let mut used = UsedGlyphs::new(Font::Regular);
        used.encode("Łó€ó漢");

        let cmap = to_unicode_cmap(&used);

        assert!(cmap.contains(
            "4 beginbfchar\n<0001> <0141>\n<0002> <00F3>\n<0003> <20AC>\n<0004> <003F>\n"
        ));
        assert_eq!(subset_tag(&used).len(), 6);
        assert!(subset_tag(&used).chars().all(|c| c.is_ascii_uppercase()));
    }
}
