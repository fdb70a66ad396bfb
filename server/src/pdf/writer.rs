//! Serialising a laid-out document as PDF 1.4: objects, cross-reference table and trailer.

use super::content::number;
use super::font::UsedGlyphs;
use super::image::{deflate, Decoded, Raster};
use super::{PAGE_HEIGHT, PAGE_WIDTH};
use std::fmt::Write as _;

// Fixed object numbers; fonts and images follow, then each page and its content stream.
const CATALOG: usize = 1;
const PAGES: usize = 2;
const INFO: usize = 3;
const RESOURCES: usize = 4;

/// Collects objects and remembers where each starts, for the cross-reference table.
pub(super) struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    pub fn object(&mut self, id: usize, body: &str) {
        self.start(id);
        self.out.extend_from_slice(body.as_bytes());
        self.out.extend_from_slice(b"\nendobj\n");
    }

    pub fn stream(&mut self, id: usize, dict: &str, data: &[u8]) {
        self.start(id);
        let head = format!("<< {dict} /Length {} >>\nstream\n", data.len());
        self.out.extend_from_slice(head.as_bytes());
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    fn start(&mut self, id: usize) {
        if self.offsets.len() < id {
            self.offsets.resize(id, 0);
        }
        self.offsets[id - 1] = self.out.len();
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
    }
}

pub(super) fn write(
    title: &str,
    pages: Vec<Vec<u8>>,
    images: Vec<Decoded>,
    glyphs: &[UsedGlyphs],
) -> Vec<u8> {
    // The binary comment line tells transfer tools that the file is not text.
    let mut w = Writer {
        out: b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec(),
        offsets: Vec::new(),
    };
    let mut next = RESOURCES + 1;
    let mut fonts = String::new();
    for used in glyphs.iter().filter(|g| g.is_used()) {
        let _ = write!(fonts, "{} {next} 0 R ", used.font.resource());
        next = super::embed::write_font(&mut w, next, used);
    }
    let mut xobjects = String::new();
    for (i, image) in images.iter().enumerate() {
        let _ = write!(xobjects, "/Im{} {next} 0 R ", i + 1);
        next = write_image(&mut w, next, image);
    }
    let first_page = next;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();

    w.object(CATALOG, &format!("<< /Type /Catalog /Pages {PAGES} 0 R >>"));
    w.object(
        PAGES,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} /MediaBox [0 0 {} {}] >>",
            kids.join(" "),
            pages.len(),
            number(PAGE_WIDTH),
            number(PAGE_HEIGHT)
        ),
    );
    w.object(
        INFO,
        &format!("<< /Title {} /Producer (Settle) >>", text_string(title)),
    );
    w.object(
        RESOURCES,
        &format!(
            "<< /ProcSet [/PDF /Text /ImageB /ImageC /ImageI] /Font << {fonts}>> \
             /XObject << {xobjects}>> >>"
        ),
    );
    for (i, content) in pages.iter().enumerate() {
        let id = first_page + 2 * i;
        w.object(
            id,
            &format!(
                "<< /Type /Page /Parent {PAGES} 0 R /Resources {RESOURCES} 0 R /Contents {} 0 R >>",
                id + 1
            ),
        );
        w.stream(id + 1, "/Filter /FlateDecode", &deflate(content));
    }

    let xref = w.out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", w.offsets.len() + 1);
    for offset in &w.offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        w.offsets.len() + 1
    );
    w.out.extend_from_slice(table.as_bytes());
    w.out
}

/// Writes an image and its soft mask, if any, from object `id` on; returns the next free id.
fn write_image(w: &mut Writer, id: usize, image: &Decoded) -> usize {
    let Raster { dict, data, .. } = &image.color;
    match &image.alpha {
        None => {
            w.stream(id, dict, data);
            id + 1
        }
        Some(alpha) => {
            w.stream(id, &format!("{dict} /SMask {} 0 R", id + 1), data);
            w.stream(id + 1, &alpha.dict, &alpha.data);
            id + 2
        }
    }
}

/// `text` as a PDF text string: UTF-16BE with a byte-order mark, in hex, so any
/// character survives.
fn text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}
