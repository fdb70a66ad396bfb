//! PDF output for invoices and statements: A4 pages of text, rules, filled boxes and images.
//! Text is set in DejaVu Sans, embedded with only the glyphs a document uses, so any
//! language the font covers prints and can be copied back out of the file.

mod content;
mod embed;
mod font;
mod image;
mod metrics;
mod writer;

use content::Page;

pub use image::ImageError;
pub use metrics::{width_of, wrap};

/// Width of an A4 page in points (1/72 inch).
pub const PAGE_WIDTH: f32 = 595.0;
/// Height of an A4 page in points.
pub const PAGE_HEIGHT: f32 = 842.0;

/// The typefaces a document can use: DejaVu Sans and DejaVu Sans Bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "/F1",
            Font::Bold => "/F2",
        }
    }

    fn index(self) -> usize {
        match self {
            Font::Regular => 0,
            Font::Bold => 1,
        }
    }
}

/// A colour for text, rules and fills; components run from 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Color {
    Gray(f32),
    Rgb(f32, f32, f32),
}

impl Color {
    /// Black, the colour every page starts with.
    pub const BLACK: Color = Color::Gray(0.0);

    /// A colour from 0–255 components, as in `#1f6feb`.
    pub fn rgb8(r: u8, g: u8, b: u8) -> Color {
        Color::Rgb(
            f32::from(r) / 255.0,
            f32::from(g) / 255.0,
            f32::from(b) / 255.0,
        )
    }
}

/// Space kept clear along each page edge, in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

impl Default for Margins {
    /// 20 mm all round.
    fn default() -> Self {
        let m = 20.0 * 72.0 / 25.4;
        Margins {
            top: m,
            right: m,
            bottom: m,
            left: m,
        }
    }
}

/// An image added to a document, ready to be placed on any of its pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Image {
    index: usize,
    width: u32,
    height: u32,
}

impl Image {
    /// Size in pixels, as (width, height).
    pub fn pixels(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The largest (width, height) in points that fits in `max_width` × `max_height` and keeps
    /// the image's proportions.
    pub fn fit(&self, max_width: f32, max_height: f32) -> (f32, f32) {
        let scale = (max_width / self.width as f32).min(max_height / self.height as f32);
        (self.width as f32 * scale, self.height as f32 * scale)
    }
}

/// The height of one line of text at `size` points, baseline to baseline.
pub fn line_height(size: f32) -> f32 {
    size * 1.25
}

/// A PDF being drawn, page by page. Positions are in points from the top-left corner of the
/// page, y growing downwards; a text's y is its baseline. A cursor (a y position) helps
/// lay out flowing content: it starts at the top margin of each new page.
pub struct Document {
    title: String,
    margins: Margins,
    pages: Vec<Page>,
    current: usize,
    cursor: f32,
    text_color: Color,
    line_color: Color,
    images: Vec<image::Decoded>,
    glyphs: [font::UsedGlyphs; 2],
}

impl Document {
    /// An empty document with one A4 page, the default margins, black text and rules.
    /// `title` goes into the file's metadata, where viewers show it as the window title.
    pub fn new(title: &str) -> Self {
        let margins = Margins::default();
        Document {
            title: title.to_owned(),
            margins,
            pages: vec![Page::new()],
            current: 0,
            cursor: margins.top,
            text_color: Color::BLACK,
            line_color: Color::BLACK,
            images: Vec::new(),
            glyphs: [
                font::UsedGlyphs::new(Font::Regular),
                font::UsedGlyphs::new(Font::Bold),
            ],
        }
    }

    /// The same document with other margins; the cursor moves to the new top margin.
    pub fn with_margins(mut self, margins: Margins) -> Self {
        self.margins = margins;
        self.cursor = margins.top;
        self
    }

    /// x of the left margin.
    pub fn left(&self) -> f32 {
        self.margins.left
    }

    /// x of the right margin: where right-aligned columns end.
    pub fn right(&self) -> f32 {
        PAGE_WIDTH - self.margins.right
    }

    /// y of the top margin.
    pub fn top(&self) -> f32 {
        self.margins.top
    }

    /// y of the bottom margin: flowing content stops above it.
    pub fn bottom(&self) -> f32 {
        PAGE_HEIGHT - self.margins.bottom
    }

    /// The cursor's y position.
    pub fn cursor(&self) -> f32 {
        self.cursor
    }

    /// Moves the cursor to `y`.
    pub fn set_cursor(&mut self, y: f32) {
        self.cursor = y;
    }

    /// Moves the cursor down by `dy` points (up, if negative).
    pub fn advance(&mut self, dy: f32) {
        self.cursor += dy;
    }

    /// Starts a new page unless `height` points fit between the cursor and the bottom margin.
    /// Returns whether it started one, so that the caller can repeat a table's header. A block
    /// taller than a page stays where it is when the cursor is already at the top margin.
    pub fn ensure_space(&mut self, height: f32) -> bool {
        let full = self.cursor + height > self.bottom() && self.cursor > self.top();
        if full {
            self.new_page();
        }
        full
    }

    /// Makes room for one line of text at `size` points below the cursor (on a new page if
    /// needed), moves the cursor past it, and returns the line's baseline for `text` calls.
    pub fn next_line(&mut self, size: f32) -> f32 {
        let height = line_height(size);
        self.ensure_space(height);
        self.cursor += height;
        self.cursor - (height - size)
    }

    /// Writes `text` wrapped to `max_width` from `x`, line by line below the cursor, breaking
    /// pages as needed. Returns how many lines it took.
    pub fn paragraph(
        &mut self,
        x: f32,
        max_width: f32,
        size: f32,
        font: Font,
        text: &str,
    ) -> usize {
        let lines = wrap(text, max_width, size, font);
        for line in &lines {
            let y = self.next_line(size);
            self.text(x, y, size, font, line);
        }
        lines.len()
    }

    /// Sets the colour of text drawn from now on.
    pub fn set_text_color(&mut self, color: Color) {
        self.text_color = color;
    }

    /// Sets the colour of lines drawn from now on.
    pub fn set_line_color(&mut self, color: Color) {
        self.line_color = color;
    }

    /// Draws one line of `text` with its baseline starting at (`x`, `y`). A character the
    /// font lacks shows as `?`, a control character (a line break too) as a space;
    /// `paragraph` handles several lines.
    pub fn text(&mut self, x: f32, y: f32, size: f32, font: Font, text: &str) {
        let codes = self.glyphs[font.index()].encode(text);
        let color = self.text_color;
        let page = &mut self.pages[self.current];
        page.set_fill(color);
        page.raw(b"BT ");
        page.raw(font.resource().as_bytes());
        page.raw(b" ");
        page.nums(&[size]);
        page.raw(b"Tf ");
        page.nums(&[x, PAGE_HEIGHT - y]);
        let content = &mut page.content;
        content.extend_from_slice(b"Td <");
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for code in codes {
            for shift in [12, 8, 4, 0] {
                content.push(HEX[usize::from((code >> shift) & 0xF)]);
            }
        }
        content.extend_from_slice(b"> Tj ET\n");
    }

    /// Draws `text` so that it ends at `x_right`, for amounts in a column.
    pub fn text_right(&mut self, x_right: f32, y: f32, size: f32, font: Font, text: &str) {
        self.text(x_right - width_of(text, size, font), y, size, font, text);
    }

    /// Draws `text` centred on `x_center`.
    pub fn text_center(&mut self, x_center: f32, y: f32, size: f32, font: Font, text: &str) {
        self.text(
            x_center - width_of(text, size, font) / 2.0,
            y,
            size,
            font,
            text,
        );
    }

    /// Draws a straight line `width` points thick in the line colour.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        let color = self.line_color;
        let page = &mut self.pages[self.current];
        page.set_stroke(color, width);
        page.ops(&[x1, PAGE_HEIGHT - y1], "m");
        page.ops(&[x2, PAGE_HEIGHT - y2], "l S");
    }

    /// Fills the rectangle whose top-left corner is (`x`, `y`) with `color`.
    pub fn rect_fill(&mut self, x: f32, y: f32, width: f32, height: f32, color: Color) {
        let page = &mut self.pages[self.current];
        page.set_fill(color);
        page.ops(&[x, PAGE_HEIGHT - y - height, width, height], "re f");
    }

    /// Adds a JPEG file to the document, passed through unchanged, for placing with `image`.
    pub fn add_jpeg(&mut self, bytes: &[u8]) -> Result<Image, ImageError> {
        let decoded = image::jpeg(bytes)?;
        Ok(self.add_image(decoded))
    }

    /// Adds a PNG file (8-bit or less, not interlaced, transparency kept) for placing with
    /// `image`.
    pub fn add_png(&mut self, bytes: &[u8]) -> Result<Image, ImageError> {
        let decoded = image::png(bytes)?;
        Ok(self.add_image(decoded))
    }

    fn add_image(&mut self, decoded: image::Decoded) -> Image {
        let (width, height) = (decoded.color.width, decoded.color.height);
        self.images.push(decoded);
        Image {
            index: self.images.len() - 1,
            width,
            height,
        }
    }

    /// Draws `image` stretched to `width` × `height` points with its top-left corner at
    /// (`x`, `y`); `Image::fit` gives a size that keeps its proportions.
    pub fn image(&mut self, image: Image, x: f32, y: f32, width: f32, height: f32) {
        let page = &mut self.pages[self.current];
        page.ops(&[], "q");
        page.ops(
            &[width, 0.0, 0.0, height, x, PAGE_HEIGHT - y - height],
            "cm",
        );
        page.ops(&[], &format!("/Im{} Do Q", image.index + 1));
    }

    /// Starts a new page, draws on it from now on, and moves the cursor to its top margin.
    pub fn new_page(&mut self) {
        self.pages.push(Page::new());
        self.current = self.pages.len() - 1;
        self.cursor = self.margins.top;
    }

    /// How many pages the document has.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Draws on page `index` (from 0) from now on, e.g. to add "Page 1 of 3" footers once
    /// the content is laid out. The cursor does not move.
    ///
    /// # Panics
    /// If there is no such page.
    pub fn select_page(&mut self, index: usize) {
        assert!(
            index < self.pages.len(),
            "no page {index} in a {}-page document",
            self.pages.len()
        );
        self.current = index;
    }

    /// The finished PDF file.
    pub fn finish(self) -> Vec<u8> {
        let pages = self.pages.into_iter().map(|p| p.content).collect();
        writer::write(&self.title, pages, self.images, &self.glyphs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// An invoice of `rows` lines, long enough to run onto a second page at 30.
    fn invoice(rows: usize) -> Vec<u8> {
        let mut doc = Document::new("Invoice INV-0042 – Müller & Söhne");
        let (left, right) = (doc.left(), doc.right());
        let y = doc.next_line(22.0);
        doc.text(left, y, 22.0, Font::Bold, "Invoice INV-0042");
        doc.set_text_color(Color::Gray(0.4));
        let y = doc.next_line(10.0);
        doc.text(
            left,
            y,
            10.0,
            Font::Regular,
            "Issued 3 March 2025 · due in 30 days",
        );
        doc.set_text_color(Color::BLACK);
        doc.advance(12.0);
        doc.paragraph(
            left,
            200.0,
            10.0,
            Font::Regular,
            "Müller & Söhne GmbH\nStraße des 17. Juni 135\n10623 Berlin – Deutschland",
        );
        doc.advance(16.0);
        let header = |doc: &mut Document| {
            let y = doc.next_line(10.0);
            doc.rect_fill(
                left,
                y - 12.0,
                right - left,
                17.0,
                Color::rgb8(0xee, 0xf2, 0xf7),
            );
            doc.text(left + 4.0, y, 10.0, Font::Bold, "Description");
            doc.text_right(right - 4.0, y, 10.0, Font::Bold, "Amount");
        };
        header(&mut doc);
        doc.set_line_color(Color::Gray(0.8));
        for i in 1..=rows {
            // Each row: a description, a grey detail line, and its amount on the first line.
            if doc.ensure_space(line_height(10.0) * 2.0 + 6.0) {
                header(&mut doc);
            }
            doc.advance(3.0);
            let y = doc.next_line(10.0);
            doc.text(
                left + 4.0,
                y,
                10.0,
                Font::Regular,
                &format!("Consulting (day {i}) – café “Zoë” …"),
            );
            doc.text_right(
                right - 4.0,
                y,
                10.0,
                Font::Regular,
                &format!("€{},{:03}.50", i, i * 7),
            );
            doc.set_text_color(Color::Gray(0.45));
            let y = doc.next_line(9.0);
            doc.text(
                left + 4.0,
                y,
                9.0,
                Font::Regular,
                &format!("PO-{:05} · 1–31 March", 4100 + i),
            );
            doc.set_text_color(Color::BLACK);
            doc.advance(3.0);
            doc.line(left, doc.cursor(), right, doc.cursor(), 0.5);
        }
        doc.advance(18.0);
        doc.ensure_space(40.0);
        let y = doc.next_line(12.0);
        doc.text(right - 150.0, y, 12.0, Font::Bold, "Total");
        doc.text_right(right - 4.0, y, 12.0, Font::Bold, "£1,234.56");
        let pages = doc.page_count();
        for page in 0..pages {
            doc.select_page(page);
            let footer = format!("Page {} of {pages}", page + 1);
            doc.text_center(
                PAGE_WIDTH / 2.0,
                doc.bottom() + 20.0,
                8.0,
                Font::Regular,
                &footer,
            );
        }
        doc.finish()
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn the_file_is_well_formed_and_its_cross_references_point_at_the_objects() {
        let pdf = invoice(30);
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let tail = String::from_utf8_lossy(&pdf[pdf.len() - 40..]).into_owned();
        let xref: usize = tail
            .split("startxref\n")
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let table = String::from_utf8_lossy(&pdf[xref..]).into_owned();
        let mut lines = table.lines();
        assert_eq!(lines.next(), Some("xref"));
        let count: usize = lines
            .next()
            .unwrap()
            .strip_prefix("0 ")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(lines.next(), Some("0000000000 65535 f "));
        for id in 1..count {
            let entry = lines.next().unwrap();
            assert_eq!(entry.len(), 19, "entries are 20 bytes with the newline");
            let offset: usize = entry[..10].parse().unwrap();
            let head = format!("{id} 0 obj\n");
            assert!(
                pdf[offset..].starts_with(head.as_bytes()),
                "object {id} is not at {offset}"
            );
        }
        assert!(lines.next().unwrap().starts_with("trailer"));
        assert!(
            find(&pdf, b"/Count 2 ").is_some(),
            "30 rows run onto a second page"
        );
        assert!(find(&pdf, b"/Producer (Settle)").is_some());
    }

    #[test]
    fn text_is_written_as_two_byte_glyph_codes() {
        let mut doc = Document::new("t");
        doc.text(10.0, 20.0, 12.0, Font::Bold, "(a) a");
        let content = &doc.pages[0].content;
        assert_eq!(
            content.as_slice(),
            b"BT /F2 12 Tf 10 822 Td <00010002000300040002> Tj ET\n".as_slice()
        );
    }

    #[test]
    fn pdftotext_reads_back_the_text_and_right_aligned_columns_line_up() {
        let path = std::env::temp_dir().join(format!("settle-pdf-test-{}.pdf", std::process::id()));
        std::fs::write(&path, invoice(30)).unwrap();
        let run = |args: &[&str]| {
            Command::new("pdftotext")
                .args(args)
                .arg(&path)
                .arg("-")
                .output()
        };
        let plain = match run(&["-layout"]) {
            Ok(out) => String::from_utf8(out.stdout).unwrap(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
                let _ = std::fs::remove_file(&path);
                return;
            }
            Err(e) => panic!("pdftotext failed to start: {e}"),
        };
        let boxes = String::from_utf8(run(&["-bbox"]).unwrap().stdout).unwrap();
        let _ = std::fs::remove_file(&path);
        for expected in [
            "Invoice INV-0042",
            "Straße des 17. Juni 135",
            "Consulting (day 30) – café “Zoë” …",
            "€30,210.50",
            "Total",
            "£1,234.56",
            "Page 2 of 2",
        ] {
            assert!(
                plain.contains(expected),
                "{expected:?} missing from:\n{plain}"
            );
        }
        // Every amount should end at the same x as poppler measures it with its own metrics.
        let right = Document::new("").right() - 4.0;
        let ends: Vec<f32> = boxes
            .lines()
            .filter(|l| l.contains(">€") || l.contains(">£"))
            .map(|l| {
                l.split("xMax=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(ends.len(), 31);
        for end in ends {
            assert!(
                (end - right).abs() < 0.05,
                "an amount ends at {end}, not {right}"
            );
        }
    }

    /// The text poppler reads back out of `pdf`, or `None` when poppler-utils is missing.
    fn pdftotext(pdf: &[u8]) -> Option<String> {
        let path = std::env::temp_dir().join(format!(
            "settle-pdf-text-{}-{}.pdf",
            std::process::id(),
            pdf.len()
        ));
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext").arg(&path).arg("-").output();
        let _ = std::fs::remove_file(&path);
        match out {
            Ok(out) => Some(String::from_utf8(out.stdout).unwrap()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => panic!("pdftotext failed to start: {e}"),
        }
    }

    #[test]
    fn text_in_any_script_the_font_covers_reads_back_the_same() {
        let text = "Zürich Café – Ελλάδα – Łódź – €";
        let mut doc = Document::new(text);
        doc.text(50.0, 100.0, 12.0, Font::Regular, text);
        doc.text(50.0, 130.0, 12.0, Font::Bold, text);

        let pdf = doc.finish();

        let Some(read) = pdftotext(&pdf) else {
            eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
            return;
        };
        let lines: Vec<&str> = read.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines, [text, text]);
        assert!(find(&pdf, b"/Subtype /CIDFontType2").is_some());
        assert!(find(&pdf, b"/Encoding /Identity-H").is_some());
        // Two subsets of a few dozen glyphs each, not two whole fonts of 700 KB.
        assert!(pdf.len() < 40_000, "the file is {} bytes", pdf.len());
    }

    #[test]
    fn pdftoppm_shows_a_png_logo_with_its_transparency() {
        // A 2×1 RGBA PNG: opaque red, then fully transparent.
        let row = [0, 255, 0, 0, 255, 0, 0, 0, 0];
        let mut png =
            b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x02\0\0\0\x01\x08\x06\0\0\0\0\0\0\0".to_vec();
        let idat = miniz_oxide::deflate::compress_to_vec_zlib(&row, 6);
        png.extend_from_slice(&(idat.len() as u32).to_be_bytes());
        png.extend_from_slice(b"IDAT");
        png.extend_from_slice(&idat);
        png.extend_from_slice(&[0; 4]);
        let mut doc = Document::new("logo");
        doc.rect_fill(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT, Color::Rgb(0.0, 0.0, 1.0));
        let logo = doc.add_png(&png).unwrap();
        assert_eq!(logo.fit(100.0, 100.0), (100.0, 50.0));
        doc.image(logo, 100.0, 100.0, 200.0, 100.0);
        let path = std::env::temp_dir().join(format!("settle-pdf-logo-{}.pdf", std::process::id()));
        std::fs::write(&path, doc.finish()).unwrap();
        let out = Command::new("pdftoppm")
            .args(["-r", "72", "-singlefile"])
            .arg(&path)
            .output();
        let _ = std::fs::remove_file(&path);
        let ppm = match out {
            Ok(out) => out.stdout,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("skipped: pdftoppm is not installed (Debian package poppler-utils)");
                return;
            }
            Err(e) => panic!("pdftoppm failed to start: {e}"),
        };
        // Binary PPM: "P6\n595 842\n255\n", then RGB triples row by row.
        let header = b"P6\n595 842\n255\n";
        assert!(ppm.starts_with(header), "unexpected pdftoppm output");
        let pixel = |x: usize, y: usize| {
            let at = header.len() + (y * 595 + x) * 3;
            [ppm[at], ppm[at + 1], ppm[at + 2]]
        };
        assert_eq!(pixel(150, 150), [255, 0, 0], "the opaque half is red");
        assert_eq!(pixel(250, 150), [0, 0, 255], "the background shows through");
        assert_eq!(pixel(50, 50), [0, 0, 255]);
    }
}
