//! Reading JPEG and PNG files into PDF image objects: JPEG passes through as DCTDecode,
//! PNG as FlateDecode, with its transparency split out into a soft mask.

use std::fmt;

/// Why an image file cannot be placed in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageError(&'static str);

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ImageError {}

// Bounds the memory a hostile PNG can make us allocate while decoding.
const MAX_PIXELS: u64 = 1 << 25;

/// One PDF image XObject: its dictionary entries other than `/Length`, and its stream data.
pub(super) struct Raster {
    pub width: u32,
    pub height: u32,
    pub dict: String,
    pub data: Vec<u8>,
}

/// A decoded image file: the colour picture and, when it has transparency, its alpha.
pub(super) struct Decoded {
    pub color: Raster,
    pub alpha: Option<Raster>,
}

pub(super) fn jpeg(bytes: &[u8]) -> Result<Decoded, ImageError> {
    let truncated = ImageError("the JPEG file is cut short");
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(ImageError("not a JPEG file"));
    }
    let mut adobe = false;
    let mut i = 2;
    loop {
        if bytes.get(i) != Some(&0xFF) {
            return Err(truncated);
        }
        while bytes.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *bytes.get(i).ok_or(truncated)?;
        i += 1;
        if matches!(marker, 0x01 | 0xD0..=0xD8) {
            continue;
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(i).ok_or(truncated)?,
            *bytes.get(i + 1).ok_or(truncated)?,
        ]));
        let segment = bytes.get(i + 2..i + len).ok_or(truncated)?;
        match marker {
            0xEE if segment.starts_with(b"Adobe") => adobe = true,
            0xC0..=0xC2 => {
                let [bits, h1, h0, w1, w0, components, ..] = *segment else {
                    return Err(truncated);
                };
                let (width, height) = (
                    u32::from(u16::from_be_bytes([w1, w0])),
                    u32::from(u16::from_be_bytes([h1, h0])),
                );
                if bits != 8 || width == 0 || height == 0 {
                    return Err(ImageError("only 8-bit JPEGs with a known size can be used"));
                }
                let space = match components {
                    1 => "/DeviceGray",
                    3 => "/DeviceRGB",
                    // Adobe's CMYK JPEGs store inverted samples; the Decode entry rides along
                    // with the colour space into the image dictionary.
                    4 if adobe => "/DeviceCMYK /Decode [1 0 1 0 1 0 1 0]",
                    4 => "/DeviceCMYK",
                    _ => return Err(ImageError("the JPEG has an unusual number of channels")),
                };
                let dict = image_dict(width, height, space, 8, "/DCTDecode");
                let color = Raster {
                    width,
                    height,
                    dict,
                    data: bytes.to_vec(),
                };
                return Ok(Decoded { color, alpha: None });
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err(ImageError(
                    "lossless and arithmetic-coded JPEGs are not supported",
                ))
            }
            0xD9 | 0xDA => return Err(ImageError("the JPEG has no frame header")),
            _ => {}
        }
        i += len;
    }
}

pub(super) fn png(bytes: &[u8]) -> Result<Decoded, ImageError> {
    let truncated = ImageError("the PNG file is cut short");
    let mut rest = bytes
        .strip_prefix(b"\x89PNG\r\n\x1a\n")
        .ok_or(ImageError("not a PNG file"))?;
    let (mut header, mut palette, mut trns, mut idat) = (None, None, None, Vec::new());
    // Chunk CRCs are not checked: a damaged file fails in inflate or shows as a damaged picture.
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = &rest[4..8];
        let body = rest.get(8..8 + len).ok_or(truncated)?;
        match kind {
            b"IHDR" => header = Some(body),
            b"PLTE" => palette = Some(body),
            b"tRNS" => trns = Some(body),
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        rest = rest.get(12 + len..).ok_or(truncated)?;
    }
    let Some(&[w3, w2, w1, w0, h3, h2, h1, h0, bits, kind, 0, 0, interlace]) = header else {
        return Err(ImageError("the PNG header is missing or unknown"));
    };
    let (width, height) = (
        u32::from_be_bytes([w3, w2, w1, w0]),
        u32::from_be_bytes([h3, h2, h1, h0]),
    );
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError("the PNG is empty or too large"));
    }
    if interlace != 0 || bits > 8 {
        return Err(ImageError("interlaced and 16-bit PNGs are not supported"));
    }
    if !matches!(bits, 1 | 2 | 4 | 8) || idat.is_empty() {
        return Err(ImageError("the PNG is damaged"));
    }
    let (channels, space) = match (kind, palette) {
        (0, _) | (4, _) => (1, "/DeviceGray".to_owned()),
        (2, _) | (6, _) => (3, "/DeviceRGB".to_owned()),
        (3, Some(p)) if !p.is_empty() && p.len() % 3 == 0 && p.len() <= 768 => (
            1,
            format!("[/Indexed /DeviceRGB {} <{}>]", p.len() / 3 - 1, hex(p)),
        ),
        _ => {
            return Err(ImageError(
                "the PNG colour type is unknown or lacks a palette",
            ))
        }
    };
    let has_alpha = kind == 4 || kind == 6;
    if bits != 8 && (has_alpha || kind == 2) {
        return Err(ImageError("the PNG bit depth does not fit its colour type"));
    }
    let bits = u32::from(bits);
    let mask_key = match (kind, trns) {
        (0 | 2, Some(key)) => Some(key),
        _ => None,
    };
    if !has_alpha && (kind != 3 || trns.is_none()) {
        // Opaque or colour-keyed: PDF's PNG predictors decode the IDAT stream as it is.
        let mut dict = image_dict(width, height, &space, bits, "/FlateDecode");
        dict.push_str(&format!(
            " /DecodeParms << /Predictor 15 /Colors {channels} /BitsPerComponent {bits} \
             /Columns {width} >>"
        ));
        if let Some(key) = mask_key {
            let max = (1u32 << bits) - 1;
            let ranges: Vec<String> = key
                .chunks_exact(2)
                .map(|s| (u32::from(u16::from_be_bytes([s[0], s[1]])) & max).to_string())
                .map(|v| format!("{v} {v}"))
                .collect();
            dict.push_str(&format!(" /Mask [{}]", ranges.join(" ")));
        }
        let color = Raster {
            width,
            height,
            dict,
            data: idat,
        };
        return Ok(Decoded { color, alpha: None });
    }
    let pixel_bits = bits * (channels + u32::from(has_alpha));
    let row = (width as usize * pixel_bits as usize).div_ceil(8);
    let raw =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&idat, (row + 1) * height as usize)
            .map_err(|_| ImageError("the PNG image data is damaged"))?;
    let pixels = unfilter(
        &raw,
        row,
        (pixel_bits as usize).div_ceil(8),
        height as usize,
    )?;
    let (color_data, alpha) = if has_alpha {
        let stride = channels as usize + 1;
        let color = pixels
            .chunks_exact(stride)
            .flat_map(|p| &p[..stride - 1])
            .copied()
            .collect();
        let alpha: Vec<u8> = pixels.chunks_exact(stride).map(|p| p[stride - 1]).collect();
        (color, alpha)
    } else {
        // A palette with transparency: look each pixel's alpha up by its index.
        let table = trns.unwrap_or_default();
        let per_byte = 8 / bits as usize;
        let alpha = pixels
            .chunks_exact(row)
            .flat_map(|line| {
                (0..width as usize).map(move |x| {
                    let shift = 8 - bits as usize * (x % per_byte + 1);
                    usize::from(line[x / per_byte] >> shift) & ((1 << bits) - 1)
                })
            })
            .map(|index| table.get(index).copied().unwrap_or(255))
            .collect();
        (pixels, alpha)
    };
    let dict = image_dict(width, height, &space, bits, "/FlateDecode");
    let color = Raster {
        width,
        height,
        dict,
        data: deflate(&color_data),
    };
    let alpha = alpha.iter().any(|&a| a != 255).then(|| Raster {
        width,
        height,
        dict: image_dict(width, height, "/DeviceGray", 8, "/FlateDecode"),
        data: deflate(&alpha),
    });
    Ok(Decoded { color, alpha })
}

/// Undoes PNG's per-row filters, dropping the filter-type bytes.
fn unfilter(raw: &[u8], row: usize, bpp: usize, height: usize) -> Result<Vec<u8>, ImageError> {
    if raw.len() != (row + 1) * height {
        return Err(ImageError("the PNG image data has the wrong size"));
    }
    let mut out = vec![0u8; row * height];
    for (y, line) in raw.chunks_exact(row + 1).enumerate() {
        let (done, current) = out.split_at_mut(y * row);
        let above = if y == 0 {
            None
        } else {
            Some(&done[(y - 1) * row..])
        };
        let current = &mut current[..row];
        for i in 0..row {
            let a = if i >= bpp { current[i - bpp] } else { 0 };
            let b = above.map_or(0, |p| p[i]);
            let c = match above {
                Some(p) if i >= bpp => p[i - bpp],
                _ => 0,
            };
            let predicted = match line[0] {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => paeth(a, b, c),
                _ => return Err(ImageError("the PNG image data is damaged")),
            };
            current[i] = line[i + 1].wrapping_add(predicted);
        }
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn image_dict(width: u32, height: u32, space: &str, bits: u32, filter: &str) -> String {
    format!(
        "/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {space} \
         /BitsPerComponent {bits} /Filter {filter}"
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(data: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec_zlib(data).unwrap()
    }

    fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = (body.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out.extend_from_slice(&[0; 4]);
        out
    }

    /// A PNG of `rows` (each already prefixed with its filter type) plus any extra chunks.
    fn png_file(
        size: (u32, u32),
        bits: u8,
        kind: u8,
        extra: &[Vec<u8>],
        rows: &[Vec<u8>],
    ) -> Vec<u8> {
        let mut header = size.0.to_be_bytes().to_vec();
        header.extend_from_slice(&size.1.to_be_bytes());
        header.extend_from_slice(&[bits, kind, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(chunk(b"IHDR", &header));
        extra.iter().for_each(|c| out.extend_from_slice(c));
        out.extend(chunk(b"IDAT", &deflate(&rows.concat())));
        out.extend(chunk(b"IEND", &[]));
        out
    }

    /// `line` filtered with PNG filter `kind`, given the unfiltered row above it.
    fn filter(kind: u8, line: &[u8], above: &[u8], bpp: usize) -> Vec<u8> {
        let mut out = vec![kind];
        for i in 0..line.len() {
            let a = if i >= bpp { line[i - bpp] } else { 0 };
            let c = if i >= bpp { above[i - bpp] } else { 0 };
            let predicted = match kind {
                0 => 0,
                1 => a,
                2 => above[i],
                3 => ((u16::from(a) + u16::from(above[i])) / 2) as u8,
                _ => paeth(a, above[i], c),
            };
            out.push(line[i].wrapping_sub(predicted));
        }
        out
    }

    #[test]
    fn a_jpeg_passes_through_with_the_size_from_its_frame_header() {
        let mut file = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0];
        file.extend_from_slice(&[0xFF, 0xC2, 0, 11, 8, 0, 60, 0, 120, 3, 1, 2, 3]);
        file.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        let image = jpeg(&file).unwrap();
        assert_eq!((image.color.width, image.color.height), (120, 60));
        assert!(image.color.dict.contains("/ColorSpace /DeviceRGB"));
        assert!(image.color.dict.contains("/Filter /DCTDecode"));
        assert_eq!(image.color.data, file);
        assert!(image.alpha.is_none());
    }

    #[test]
    fn broken_or_unsupported_jpegs_are_refused() {
        assert!(jpeg(b"GIF89a").is_err());
        assert!(jpeg(&[0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8]).is_err());
        assert!(jpeg(&[0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 12, 0, 1, 0, 1, 1, 0, 0, 0]).is_err());
        assert!(jpeg(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]).is_err());
    }

    #[test]
    fn an_rgba_png_splits_into_colour_and_a_soft_mask_through_every_filter() {
        let pixels: Vec<Vec<u8>> = (0..5u8)
            .map(|y| {
                (0..3u8)
                    .flat_map(|x| [x * 80, y * 50, 200 - x * y, x * 60 + y])
                    .collect()
            })
            .collect();
        let zero = vec![0; 12];
        let rows: Vec<Vec<u8>> = (0..5)
            .map(|y| {
                filter(
                    y as u8,
                    &pixels[y],
                    if y == 0 { &zero } else { &pixels[y - 1] },
                    4,
                )
            })
            .collect();
        let image = png(&png_file((3, 5), 8, 6, &[], &rows)).unwrap();
        let flat = pixels.concat();
        let color: Vec<u8> = flat.chunks(4).flat_map(|p| &p[..3]).copied().collect();
        let alpha: Vec<u8> = flat.chunks(4).map(|p| p[3]).collect();
        assert_eq!(inflate(&image.color.data), color);
        assert_eq!(inflate(&image.alpha.unwrap().data), alpha);
        assert!(image.color.dict.contains("/DeviceRGB"));
    }

    #[test]
    fn paeth_picks_the_neighbour_nearest_the_gradient_estimate() {
        assert_eq!(paeth(10, 20, 15), 15);
        assert_eq!(paeth(100, 50, 60), 100);
        assert_eq!(paeth(50, 100, 60), 100);
        assert_eq!(paeth(7, 7, 7), 7);
    }

    #[test]
    fn a_fully_opaque_rgba_png_gets_no_mask() {
        let rows = [vec![0, 1, 2, 3, 255], vec![0, 4, 5, 6, 255]];
        let image = png(&png_file((1, 2), 8, 6, &[], &rows)).unwrap();
        assert!(image.alpha.is_none());
    }

    #[test]
    fn a_small_palette_png_takes_its_alpha_from_trns() {
        // 2-bit indices 0 1 2 / 3 2 1, palette of four colours, index 1 transparent.
        let rows = [vec![0, 0b0001_1000], vec![0, 0b1110_0100]];
        let palette = chunk(b"PLTE", &[255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
        let trns = chunk(b"tRNS", &[255, 0]);
        let image = png(&png_file((3, 2), 2, 3, &[palette, trns], &rows)).unwrap();
        assert!(image
            .color
            .dict
            .contains("[/Indexed /DeviceRGB 3 <FF000000FF000000FF090909>]"));
        assert!(image.color.dict.contains("/BitsPerComponent 2"));
        assert_eq!(inflate(&image.color.data), [0b0001_1000, 0b1110_0100]);
        assert_eq!(
            inflate(&image.alpha.unwrap().data),
            [255, 0, 255, 255, 255, 0]
        );
    }

    #[test]
    fn an_opaque_png_passes_through_with_a_predictor_and_keeps_its_colour_key() {
        let rows = [vec![1, 10, 20, 30, 5, 5, 5]];
        let file = png_file(
            (2, 1),
            8,
            2,
            &[chunk(b"tRNS", &[0, 10, 0, 20, 0, 30])],
            &rows,
        );
        let image = png(&file).unwrap();
        assert_eq!(image.color.data, deflate(&rows.concat()));
        assert!(image
            .color
            .dict
            .contains("/Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns 2"));
        assert!(image.color.dict.contains("/Mask [10 10 20 20 30 30]"));
        assert!(image.alpha.is_none());
    }

    #[test]
    fn unsupported_or_damaged_pngs_are_refused() {
        let row = [vec![0, 0, 0]];
        assert!(png(&png_file((1, 1), 16, 2, &[], &row)).is_err());
        assert!(
            png(&png_file((1, 1), 8, 3, &[], &row)).is_err(),
            "palette type without PLTE"
        );
        assert!(png(&png_file((0, 1), 8, 0, &[], &row)).is_err());
        assert!(png(&png_file((100_000, 100_000), 8, 0, &[], &row)).is_err());
        assert!(
            png(&png_file((2, 2), 8, 4, &[], &row)).is_err(),
            "too little image data"
        );
        assert!(
            png(&png_file((1, 1), 8, 4, &[], &[vec![7, 0, 0]])).is_err(),
            "filter type 7"
        );
        let mut interlaced = png_file((1, 1), 8, 0, &[], &[vec![0, 0]]);
        interlaced[28] = 1;
        assert!(png(&interlaced).is_err());
        assert!(
            png(&png_file((1, 1), 3, 0, &[], &[vec![0, 0]])).is_err(),
            "3-bit"
        );
        assert!(png(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR").is_err());
    }
}
