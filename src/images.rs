//! The images a briefing shows: the photos of a brief, the images in its
//! Markdown fields, and a template's own images. Each is read once (a
//! regular file of bounded size, never a pipe), decoded within limits,
//! shrunk to what its printed width needs at 300 dpi, and kept as the PDF
//! will hold it: the brief check decodes it, the typesetter places it, and
//! the PDF writer embeds it as it is.
//!
//! Where an image may come from: a brief's images from the brief's folder
//! (or below it), a template's from the templates folder, and either from a
//! folder the user allows with `--allow-path`. Paths are compared once
//! resolved (`..` and symbolic links followed), so neither `../` nor a link
//! reaches out.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use image::{DynamicImage, ImageDecoder, ImageFormat};

use crate::diag::display_path;
use crate::files::{self, ReadError};

/// An image file larger than this is refused before it is decoded: a
/// photo straight from a camera is a few megabytes.
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;
/// An image wider or taller than this many pixels is refused from its
/// header, before it is decoded.
pub const MAX_IMAGE_SIDE: u32 = 20_000;
/// An image whose pixels would take more than this to hold decoded is
/// refused from its header (a 10,000-pixel square photo takes 300 MB).
pub const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;
/// The resolution images are kept at, for the width they are printed at.
pub const DPI: f32 = 300.0;
/// How much decoded pixel data all threads together may hold at once: one
/// image at the limit, or two of half of it (two 10,000-pixel photos at
/// 300 MB each do not fit: the second waits). A decode that would pass it
/// waits for others to finish, so that a batch on many cores never holds
/// one full-size image per core; small images never wait for each other.
const DECODING_BUDGET: u64 = MAX_DECODED_BYTES;
/// The quality of a JPEG that had to be shrunk (or turned) and encoded again.
const JPEG_QUALITY: u8 = 90;

/// An image as the PDF holds it: 8-bit samples, grey or RGB, compressed,
/// with its transparency (if any) apart as a soft mask.
pub struct Image {
    /// Pixels in `data`.
    pub width: u32,
    pub height: u32,
    /// The image's own size in pixels, upright, before it was shrunk: its
    /// proportions.
    pub source_width: u32,
    pub source_height: u32,
    pub colour: Colour,
    pub encoding: Encoding,
    pub data: Vec<u8>,
    /// 8-bit opacity, one sample a pixel, deflated; `None` when opaque.
    pub alpha: Option<Vec<u8>>,
    /// A digest of everything above: the same image found twice (in two
    /// briefs of a pack, or by two names) is embedded once.
    pub digest: [u8; 32],
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Image({}×{} {:?} {:?}, {} bytes)",
            self.width,
            self.height,
            self.colour,
            self.encoding,
            self.data.len()
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Grey,
    Rgb,
}

/// How `data` is compressed, as the PDF's `/Filter` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// A JPEG file (`DCTDecode`): a photo's own bytes when they could be
    /// kept, else the shrunk photo encoded again.
    Jpeg,
    /// Deflated samples (`FlateDecode`), lossless: PNG images.
    Deflate,
}

/// Where the images a run reads may come from, and how wide they print.
#[derive(Debug, Clone)]
pub struct ImageRules {
    /// Folders besides the brief's (or the templates') own that images may
    /// come from (`--allow-path`), resolved.
    pub allowed: Vec<PathBuf>,
    /// The widest an image is printed, in points (the theme's
    /// `photo_width`): images are kept at [`DPI`] of it.
    pub print_width: f32,
}

/// The built-in theme's `photo_width`, in millimetres (tested).
const BUILT_IN_PHOTO_WIDTH: f32 = 28.0;

impl Default for ImageRules {
    /// Images from their own folder only, printed as wide as the built-in
    /// theme prints them.
    fn default() -> ImageRules {
        ImageRules {
            allowed: Vec::new(),
            print_width: crate::typeset::theme::mm(BUILT_IN_PHOTO_WIDTH),
        }
    }
}

impl ImageRules {
    /// The pixels across that an image printed at `print_width` needs.
    pub fn needed_width(&self) -> u32 {
        let pixels = (self.print_width / 72.0 * DPI).ceil();
        // Not `is_finite`: no width is too wide (the side limit caps it),
        // and NaN is not at least 1.
        if pixels >= 1.0 {
            pixels.min(MAX_IMAGE_SIDE as f32) as u32
        } else {
            1
        }
    }

    fn allows(&self, resolved: &Path, home: Option<&Path>) -> bool {
        home.into_iter()
            .chain(self.allowed.iter().map(PathBuf::as_path))
            .any(|folder| resolved.starts_with(folder))
    }
}

/// Why an image cannot be used.
#[derive(Debug, Clone)]
pub enum ImageError {
    /// Resolved, it is outside every folder images may come from.
    Outside {
        resolved: PathBuf,
        home: String,
    },
    /// The file could not be opened or read (it is missing, say).
    Read(String),
    /// It is not a file an image can be read from: a folder, a named pipe,
    /// a device, or a file over [`MAX_IMAGE_BYTES`].
    NotAFile(String),
    NotAnImage,
    /// Not a file a logo can be read from: SVG, PNG or JPEG.
    NotALogo,
    TooWide {
        width: u32,
        height: u32,
    },
    TooLarge {
        width: u32,
        height: u32,
        bytes: u64,
    },
    /// The file ends before the image does.
    Truncated,
    Undecodable(String),
    /// An SVG drawing whose sides, drawn `pixels_wide` across, would make
    /// it `pixels_high` tall, beyond [`MAX_IMAGE_SIDE`].
    SvgTooTall {
        /// The drawing's own `width` and `height`.
        svg_width: f32,
        svg_height: f32,
        pixels_wide: u32,
        pixels_high: f64,
    },
    /// An SVG drawing beyond what a logo needs: more nested, with more
    /// elements, or with filters (see [`svg_within_limits`]).
    SvgBeyond(SvgLimit),
}

/// What an SVG logo may not have, each far beyond a crest or an emblem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SvgLimit {
    /// Elements nested more than [`MAX_SVG_DEPTH`] deep.
    Depth,
    /// More than [`MAX_SVG_ELEMENTS`] elements, `<use>` copies counted.
    Elements,
    /// A filter (`<filter>`, `filter=`, or `filter:` in a style): a blur
    /// costs time with its radius, and a logo is drawn without one.
    Filter,
}

/// How deeply an SVG logo's elements may be nested (drawn recursively, so
/// an unbounded depth overflows the stack; a logo has a few levels).
pub const MAX_SVG_DEPTH: usize = 256;
/// How many elements an SVG logo may have, `<use>` copies counted: each is
/// drawn, so their number bounds the time a logo takes (100,000 squares
/// as large as the logo took 100 s in a debug build; a crest has a few
/// hundred paths).
pub const MAX_SVG_ELEMENTS: usize = 10_000;

impl ImageError {
    /// What is wrong, of the image `shown`; `what` is "photo" or "the image".
    pub fn message(&self, what: &str, shown: &str) -> String {
        match self {
            ImageError::Outside { resolved, home } => format!(
                "{what} `{shown}` is outside {home}: it is `{}`",
                display_path(resolved)
            ),
            ImageError::Read(reason) | ImageError::NotAFile(reason) => {
                format!("cannot read {what} `{shown}`: {reason}")
            }
            ImageError::NotAnImage => format!("{what} `{shown}` is neither a PNG nor a JPEG image"),
            ImageError::NotALogo => {
                format!("{what} `{shown}` is neither an SVG, a PNG nor a JPEG image")
            }
            ImageError::TooWide { width, height } => format!(
                "{what} `{shown}` is {width} × {height} pixels, more than the {MAX_IMAGE_SIDE} pixels a side an image may have"
            ),
            ImageError::TooLarge {
                width,
                height,
                bytes,
            } => format!(
                "{what} `{shown}` would take {} to decode ({width} × {height} pixels), more than the {} an image may take",
                files::size(*bytes),
                files::size(MAX_DECODED_BYTES)
            ),
            ImageError::Truncated => {
                format!("{what} `{shown}` is cut short: the file ends before the image does")
            }
            ImageError::Undecodable(reason) => format!("cannot decode {what} `{shown}`: {reason}"),
            ImageError::SvgTooTall {
                svg_width,
                svg_height,
                pixels_wide,
                pixels_high,
            } => format!(
                "{what} `{shown}` is {svg_width} × {svg_height} (its `width` and `height`): drawn {pixels_wide} pixels across, it would be {pixels_high:.0} pixels tall, more than the {MAX_IMAGE_SIDE} pixels a side an image may have"
            ),
            ImageError::SvgBeyond(SvgLimit::Depth) => format!(
                "{what} `{shown}` nests its elements more than {MAX_SVG_DEPTH} deep, more than an SVG drawing may"
            ),
            ImageError::SvgBeyond(SvgLimit::Elements) => format!(
                "{what} `{shown}` has more than {MAX_SVG_ELEMENTS} elements (with the copies `<use>` makes), more than an SVG drawing may"
            ),
            ImageError::SvgBeyond(SvgLimit::Filter) => format!(
                "{what} `{shown}` uses an SVG filter (a blur, a shadow), which is not drawn here"
            ),
        }
    }

    /// How to put it right. `relative_to` says what image paths are
    /// relative to ("the folder of the brief").
    pub fn help(&self, what: &str, rules: &ImageRules, relative_to: &str) -> String {
        let noun = what.trim_start_matches("the ");
        match self {
            ImageError::Outside { home, .. } => format!(
                "keep {noun}s in {home} or a folder below it, or allow the folder with `--allow-path DIR`"
            ),
            ImageError::Read(_) => format!("{noun} paths are relative to {relative_to}"),
            ImageError::NotAFile(_) => format!(
                "{} of at most {}",
                match noun {
                    "logo" => "a logo is an SVG, PNG or JPEG file",
                    "image" => "an image is a PNG or JPEG file",
                    _ => "a photo is a PNG or JPEG file",
                },
                files::size(MAX_IMAGE_BYTES)
            ),
            ImageError::NotAnImage => format!("convert the {noun} to PNG or JPEG"),
            ImageError::NotALogo => format!("convert the {noun} to SVG, PNG or JPEG"),
            ImageError::TooWide { .. } | ImageError::TooLarge { .. } => format!(
                "scale the {noun} down: it is printed {:.0} mm wide, for which {} pixels across are enough at {DPI} dpi",
                rules.print_width * 25.4 / 72.0,
                rules.needed_width()
            ),
            ImageError::Truncated | ImageError::Undecodable(_) => {
                "the file is damaged or was not copied whole: export or copy it again".into()
            }
            ImageError::SvgTooTall { .. } => format!(
                "a {noun} is about as wide as it is tall: check the `width`, `height` and `viewBox` of the SVG"
            ),
            ImageError::SvgBeyond(SvgLimit::Filter) => format!(
                "remove the filters from the {noun} (in Inkscape: Filters > Remove Filters), or export it as PNG"
            ),
            ImageError::SvgBeyond(_) => format!(
                "simplify the {noun} (flatten its groups), or export it as PNG"
            ),
        }
    }
}

/// The folder a set of images is read from, resolved once, with the images
/// read from it so far: each file is read and decoded once however often it
/// is named.
struct Folder {
    /// As the user gave it, to show paths as they wrote them.
    given: PathBuf,
    /// Resolved; `None` when it cannot be (gone, or not given).
    resolved: Option<PathBuf>,
    /// What it is, in messages: "the folder of the brief".
    name: String,
    by_file: BTreeMap<PathBuf, Result<Arc<Image>, ImageError>>,
}

impl Folder {
    fn new(given: &Path, name: &str) -> Folder {
        let given = if given.as_os_str().is_empty() {
            Path::new(".")
        } else {
            given
        };
        Folder {
            given: given.to_path_buf(),
            resolved: given.canonicalize().ok(),
            name: name.to_string(),
            by_file: BTreeMap::new(),
        }
    }

    /// The image `written` names, relative to this folder: it must be
    /// inside it or an allowed folder.
    fn load(&mut self, written: &str, rules: &ImageRules) -> Result<Arc<Image>, ImageError> {
        let resolved = self.resolve(written, rules)?;
        self.by_file
            .entry(resolved)
            .or_insert_with_key(|resolved| load_file(resolved, rules).map(Arc::new))
            .clone()
    }

    /// The file `written` names, relative to this folder, resolved: it must
    /// be inside it or an allowed folder.
    fn resolve(&self, written: &str, rules: &ImageRules) -> Result<PathBuf, ImageError> {
        let file = self.given.join(written);
        let resolved = match file.canonicalize() {
            Ok(resolved) => resolved,
            // A path out of bounds is refused as such whether or not the
            // file exists: "no such file" would tell what is outside.
            Err(error) => {
                return Err(match lexically_resolved(&file) {
                    Some(resolved) if !rules.allows(&resolved, self.resolved.as_deref()) => {
                        ImageError::Outside {
                            resolved,
                            home: self.name.clone(),
                        }
                    }
                    _ => ImageError::Read(crate::io_reason(&error)),
                })
            }
        };
        if !rules.allows(&resolved, self.resolved.as_deref()) {
            return Err(ImageError::Outside {
                resolved,
                home: self.name.clone(),
            });
        }
        Ok(resolved)
    }
}

/// `path` made absolute with `..` taken lexically, for a path that does not
/// exist (and so cannot be resolved through its links).
fn lexically_resolved(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let absolute = std::env::current_dir().ok()?.join(path);
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    // The folders that do exist are resolved through their links.
    let existing = resolved
        .ancestors()
        .find_map(|a| Some((a, a.canonicalize().ok()?)))?;
    let rest = resolved.strip_prefix(existing.0).ok()?;
    Some(existing.1.join(rest))
}

/// The images of a brief's photos and Markdown fields, checked and decoded
/// when the brief was loaded, by their path as the brief writes it.
///
/// After templating, the Markdown the typesetter reads no longer says which
/// image came from the brief and which from the template. The brief's text
/// is not rewritten (to absolute paths, say): the same text also goes into
/// the Markdown summary, which would then carry this machine's folders and
/// differ from one folder to another. Instead every image the brief names
/// is looked up here by the path it wrote, and any other image is the
/// template's own, read from the templates folder and held to it. An image
/// that only becomes one once the brief's fields stand together (a
/// reference `![x][r]` in one field to `[r]: /etc/x.png` in another) is thus
/// never the brief's: it is held to the templates folder and refused.
#[derive(Debug, Clone, Default)]
pub struct BriefImages {
    by_path: BTreeMap<String, Arc<Image>>,
}

impl BriefImages {
    pub fn get(&self, written: &str) -> Option<&Arc<Image>> {
        self.by_path.get(written)
    }
}

/// Reads the images of one brief as it is loaded.
pub struct BriefImageReader<'a> {
    rules: &'a ImageRules,
    folder: Folder,
    images: BriefImages,
}

impl<'a> BriefImageReader<'a> {
    pub fn new(brief_dir: &Path, rules: &'a ImageRules) -> BriefImageReader<'a> {
        BriefImageReader {
            rules,
            folder: Folder::new(brief_dir, "the folder of the brief"),
            images: BriefImages::default(),
        }
    }

    pub fn rules(&self) -> &ImageRules {
        self.rules
    }

    /// The path as shown to the user: `briefs/photos/x.png`.
    pub fn shown(&self, written: &str) -> String {
        display_path(&self.folder.given.join(written))
    }

    /// Reads, checks and decodes the image the brief names `written`.
    pub fn load(&mut self, written: &str) -> Result<(), ImageError> {
        if self.images.by_path.contains_key(written) {
            return Ok(());
        }
        let image = self.folder.load(written, self.rules)?;
        self.images.by_path.insert(written.to_string(), image);
        Ok(())
    }

    pub fn finish(self) -> BriefImages {
        self.images
    }
}

/// The paths of the images a Markdown text shows, as it writes them, in
/// the order they stand (each once).
pub fn images_in_markdown(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    // The typesetter's options: what it reads as an image is read here.
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut paths: Vec<String> = Vec::new();
    for event in Parser::new_ext(text, options) {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            if !paths.iter().any(|p| *p == *dest_url) {
                paths.push(dest_url.to_string());
            }
        }
    }
    paths
}

/// The images written in the templates themselves, read from the templates
/// folder as the typesetter meets them, once for the whole run.
pub struct TemplateImages {
    rules: ImageRules,
    /// `None` with the built-in templates, which have no images of their own.
    folder: Option<Mutex<Folder>>,
}

impl TemplateImages {
    pub fn new(templates_dir: Option<&Path>, rules: ImageRules) -> TemplateImages {
        TemplateImages {
            rules,
            folder: templates_dir.map(|dir| Mutex::new(Folder::new(dir, "the templates folder"))),
        }
    }

    pub fn rules(&self) -> &ImageRules {
        &self.rules
    }

    /// The templates folder as the user gave it, if any.
    pub fn folder_given(&self) -> Option<PathBuf> {
        let folder = self.folder.as_ref()?;
        let folder = folder.lock().unwrap_or_else(|e| e.into_inner());
        Some(folder.given.clone())
    }
}

/// Where the images of one document come from.
#[derive(Clone, Copy)]
pub struct ImageSources<'a> {
    pub brief: &'a BriefImages,
    pub templates: &'a TemplateImages,
    /// The brief's folder, where an image a template names is looked for
    /// when the templates folder does not have it (`None`: nowhere else).
    pub brief_folder: Option<&'a Path>,
}

/// Why an image of a document could not be used: the file as shown, what
/// is wrong, and how to put it right.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceError {
    pub path: PathBuf,
    pub message: String,
    pub help: String,
}

/// No images at all: every image named is refused.
static NO_BRIEF_IMAGES: BriefImages = BriefImages {
    by_path: BTreeMap::new(),
};
static NO_TEMPLATE_IMAGES: TemplateImages = TemplateImages {
    rules: ImageRules {
        allowed: Vec::new(),
        print_width: 0.0,
    },
    folder: None,
};

impl ImageSources<'static> {
    /// For a document that has no images.
    pub fn none() -> ImageSources<'static> {
        ImageSources {
            brief: &NO_BRIEF_IMAGES,
            templates: &NO_TEMPLATE_IMAGES,
            brief_folder: None,
        }
    }
}

impl ImageSources<'_> {
    /// The image a document's Markdown names `written`: the brief's, else the
    /// template's own.
    pub fn find(&self, written: &str) -> Result<Arc<Image>, SourceError> {
        if let Some(image) = self.brief.get(written) {
            return Ok(image.clone());
        }
        let rules = &self.templates.rules;
        let Some(folder) = &self.templates.folder else {
            return Err(SourceError {
                path: PathBuf::from(written),
                message: format!("the image `{written}` is neither the brief's nor a template's: the built-in templates have no images of their own"),
                help: "an image of a template goes in its templates folder (`--templates DIR`); the brief's images are named in its own Markdown fields".into(),
            });
        };
        let mut folder = folder.lock().unwrap_or_else(|e| e.into_inner());
        let shown = folder.given.join(written);
        let error = match folder.load(written, rules) {
            Ok(image) => return Ok(image),
            Err(error) => error,
        };
        drop(folder);
        // Not in the templates folder: the brief's own folder may have it
        // (a letterhead kept with the briefs), held to that folder.
        if let (ImageError::Read(_), Some(brief_folder)) = (&error, self.brief_folder) {
            let mut in_brief_folder = Folder::new(brief_folder, "the folder of the brief");
            if let Ok(image) = in_brief_folder.load(written, rules) {
                return Ok(image);
            }
        }
        Err(SourceError {
            message: error.message("the image", &display_path(&shown)),
            help: match (&error, self.brief_folder) {
                (ImageError::Read(_), Some(_)) => {
                    "an image of a template is looked for in the templates folder, then in the folder of the brief".into()
                }
                _ => error.help("the image", rules, "the templates folder"),
            },
            path: shown,
        })
    }
}

/// The format of an image file, from its first bytes (its name may lie).
fn format_of(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else {
        None
    }
}

/// How large a logo is printed: its width, or its height (the width then
/// follows from its proportions), in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PrintSize {
    Width(f32),
    Height(f32),
}

/// An office's logo, the file `written` relative to the theme's folder
/// `theme_dir` and held to it (or to the `allowed` folders) as a template's
/// images are, at [`DPI`] of its printed size: a PNG or JPEG as any image;
/// an SVG drawing rendered into pixels (text in it must have been turned
/// into paths: no font is loaded for it), which reads no other file.
pub fn load_logo(
    theme_dir: &Path,
    written: &str,
    allowed: &[PathBuf],
    size: PrintSize,
) -> Result<Image, ImageError> {
    let rules = ImageRules {
        allowed: allowed.to_vec(),
        ..ImageRules::default()
    };
    let path = Folder::new(theme_dir, "the templates folder").resolve(written, &rules)?;
    let bytes = files::read_input(&path, MAX_IMAGE_BYTES).map_err(|error| match error {
        ReadError::Io(error) => ImageError::Read(crate::io_reason(&error)),
        other => ImageError::NotAFile(other.to_string()),
    })?;
    // The printed width, for an image `width` × `height` (any unit).
    let print_width = |width: f32, height: f32| match size {
        PrintSize::Width(w) => w,
        PrintSize::Height(h) => h * width / height.max(f32::MIN_POSITIVE),
    };
    if let Some(format) = format_of(&bytes) {
        let (width, height) = dimensions(&bytes, format)?;
        if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
            return Err(ImageError::TooWide { width, height });
        }
        let rules = ImageRules {
            allowed: Vec::new(),
            print_width: print_width(width as f32, height as f32),
        };
        return decode(bytes, format, &rules);
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    if !text.contains("<svg") {
        return Err(ImageError::NotALogo);
    }
    let tree = svg_tree(&bytes)?;
    let rules = ImageRules {
        allowed: Vec::new(),
        print_width: print_width(tree.size().width(), tree.size().height()),
    };
    rasterised_svg(&tree, rules.needed_width())
}

/// The SVG drawing `bytes` hold, read within [`svg_within_limits`], and
/// reading no file: an `<image>` that names one (`/etc/passwd`, a pipe, a
/// device) is left out, and one in a `data:` URL is drawn only if it is an
/// SVG within the same limits (usvg lets it name no image of its own).
/// Raster images in it are not drawn at all (resvg is built without them).
fn svg_tree(bytes: &[u8]) -> Result<resvg::usvg::Tree, ImageError> {
    use resvg::usvg::{self, roxmltree};
    if !tags_nested_within(bytes, MAX_SVG_DEPTH) {
        return Err(ImageError::SvgBeyond(SvgLimit::Depth));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImageError::Undecodable("it is not UTF-8 text".into()))?;
    let document = roxmltree::Document::parse_with_options(text, svg_parsing())
        .map_err(|error| ImageError::Undecodable(error.to_string()))?;
    svg_within_limits(&document).map_err(ImageError::SvgBeyond)?;
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|mime, data, options| {
                let inner = std::str::from_utf8(&data).ok()?;
                let inner = roxmltree::Document::parse_with_options(inner, svg_parsing()).ok()?;
                svg_within_limits(&inner).ok()?;
                drop(inner);
                (usvg::ImageHrefResolver::default_data_resolver())(mime, data, options)
            }),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    usvg::Tree::from_xmltree(&document, &options).map_err(|error| match error {
        // usvg's own limits, behind ours (a million nodes, `<use>` copies
        // counted; 1,024 levels).
        usvg::Error::ElementsLimitReached
        | usvg::Error::ParsingFailed(roxmltree::Error::NodesLimitReached) => {
            ImageError::SvgBeyond(SvgLimit::Elements)
        }
        other => ImageError::Undecodable(other.to_string()),
    })
}

/// Whether the XML `bytes` nest their tags at most `limit` deep, by a scan
/// of the bytes before any parser reads them: the XML parser recurses, and
/// 20,000 nested `<g>` overflowed its stack. It errs on the safe side: a
/// DTD's declarations are not read, so tags in an entity count as written.
fn tags_nested_within(bytes: &[u8], limit: usize) -> bool {
    let find = |from: usize, what: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(what.len())
            .position(|window| window == what)
            .map_or(bytes.len(), |at| from + at + what.len())
    };
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(start) = bytes[at..].iter().position(|&b| b == b'<') {
        let tag = &bytes[at + start..];
        at += start + 1;
        if tag.starts_with(b"<!--") {
            at = find(at, b"-->");
        } else if tag.starts_with(b"<![CDATA[") {
            at = find(at, b"]]>");
        } else if tag.starts_with(b"<?") {
            at = find(at, b"?>");
        } else if tag.starts_with(b"<!") {
            at = find(at, b">");
        } else if tag.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            at = find(at, b">");
        } else {
            // To the tag's end, past `>` in quoted attribute values.
            let mut quote = None;
            let mut end = bytes.len();
            for (i, &b) in bytes[at..].iter().enumerate() {
                match (quote, b) {
                    (None, b'"' | b'\'') => quote = Some(b),
                    (Some(q), _) if b == q => quote = None,
                    (None, b'>') => {
                        end = at + i;
                        break;
                    }
                    _ => {}
                }
            }
            if bytes.get(end.wrapping_sub(1)) != Some(&b'/') {
                depth += 1;
                if depth > limit {
                    return false;
                }
            }
            at = end;
        }
    }
    true
}

/// How SVG is parsed: as usvg parses it (a DTD's entities allowed: the
/// parser bounds their expansion).
fn svg_parsing() -> resvg::usvg::roxmltree::ParsingOptions {
    resvg::usvg::roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    }
}

/// Whether an SVG drawing is within what a logo needs: nested at most
/// [`MAX_SVG_DEPTH`] deep, at most [`MAX_SVG_ELEMENTS`] elements with the
/// copies `<use>` makes, and no filter. Checked on the parsed XML
/// (entities expanded), before usvg reads it, without recursion.
pub fn svg_within_limits(document: &resvg::usvg::roxmltree::Document) -> Result<(), SvgLimit> {
    use resvg::usvg::roxmltree::Node;
    let mut stack: Vec<(Node, usize)> = vec![(document.root_element(), 1)];
    let mut elements = 0usize;
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_SVG_DEPTH {
            return Err(SvgLimit::Depth);
        }
        elements += 1;
        if elements > MAX_SVG_ELEMENTS {
            return Err(SvgLimit::Elements);
        }
        if has_filter(node) {
            return Err(SvgLimit::Filter);
        }
        stack.extend(
            node.children()
                .filter(Node::is_element)
                .map(|child| (child, depth + 1)),
        );
    }
    if drawn_elements(document) > MAX_SVG_ELEMENTS {
        return Err(SvgLimit::Elements);
    }
    Ok(())
}

/// How many elements are drawn, each `<use>` counted with a copy of what
/// it names: seven levels of ten `<use>`s of the level below make ten
/// million, which usvg copied for ten seconds before its own limit. Each
/// element is counted once, bottom-up, without recursion; a `<use>` that
/// names an element it is inside of (usvg leaves it out) adds nothing.
/// Stops counting past [`MAX_SVG_ELEMENTS`].
fn drawn_elements<'a, 'input>(document: &'a resvg::usvg::roxmltree::Document<'input>) -> usize {
    use resvg::usvg::roxmltree::{Node, NodeId};
    use std::collections::{HashMap, HashSet};
    let by_id: HashMap<&str, Node<'a, 'input>> = document
        .descendants()
        .filter(Node::is_element)
        .filter_map(|node| Some((node.attribute("id")?, node)))
        .collect();
    let named = |node: Node<'a, 'input>| -> Option<Node<'a, 'input>> {
        if node.tag_name().name() != "use" {
            return None;
        }
        let href = node
            .attribute(("http://www.w3.org/1999/xlink", "href"))
            .or_else(|| node.attribute("href"))?;
        by_id.get(href.trim().strip_prefix('#')?).copied()
    };
    let parts = |node: Node<'a, 'input>| -> Vec<Node<'a, 'input>> {
        node.children()
            .filter(Node::is_element)
            .chain(named(node))
            .collect()
    };
    let mut counted: HashMap<NodeId, usize> = HashMap::new();
    let mut open: HashSet<NodeId> = HashSet::new();
    let root = document.root_element();
    let mut stack = vec![(root, false)];
    while let Some((node, parts_counted)) = stack.pop() {
        if counted.contains_key(&node.id()) {
            continue;
        }
        if !parts_counted {
            if !open.insert(node.id()) {
                continue;
            }
            stack.push((node, true));
            stack.extend(
                parts(node)
                    .into_iter()
                    .filter(|part| !counted.contains_key(&part.id()) && !open.contains(&part.id()))
                    .map(|part| (part, false)),
            );
        } else {
            let count = parts(node)
                .iter()
                .map(|part| counted.get(&part.id()).copied().unwrap_or(0))
                .fold(1usize, usize::saturating_add);
            if count > MAX_SVG_ELEMENTS {
                return count;
            }
            open.remove(&node.id());
            counted.insert(node.id(), count);
        }
    }
    counted.get(&root.id()).copied().unwrap_or(0)
}

/// Whether an element is a filter or applies one (`filter="url(#f)"`,
/// `filter="blur(9)"`, or in its style), a `<style>` sheet naming one
/// included.
fn has_filter(node: resvg::usvg::roxmltree::Node) -> bool {
    let name = node.tag_name().name();
    if name.eq_ignore_ascii_case("filter") {
        return true;
    }
    if name == "style" && node.text().is_some_and(|text| text.contains("filter")) {
        return true;
    }
    node.attributes().any(|attribute| match attribute.name() {
        "filter" => attribute.value().trim() != "none",
        "style" => attribute.value().contains("filter"),
        _ => false,
    })
}

/// An SVG drawing rendered `width` pixels across (resvg), kept losslessly
/// with its transparency.
fn rasterised_svg(tree: &resvg::usvg::Tree, width: u32) -> Result<Image, ImageError> {
    use resvg::tiny_skia;
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).round().max(1.0);
    // usvg gives a finite size, greater than zero.
    if height > MAX_IMAGE_SIDE as f32 {
        return Err(ImageError::SvgTooTall {
            svg_width: size.width(),
            svg_height: size.height(),
            pixels_wide: width,
            pixels_high: size.height() as f64 * width as f64 / size.width() as f64,
        });
    }
    let height = height as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| ImageError::Undecodable("it has no pixels".into()))?;
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // tiny-skia keeps colours multiplied by their opacity; PDF does not.
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for pixel in pixmap.pixels() {
        let c = pixel.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let pixels = image::RgbaImage::from_raw(width, height, rgba)
        .map(DynamicImage::ImageRgba8)
        .expect("the buffer holds every pixel");
    let (samples, alpha) = samples_and_alpha(pixels);
    let data = deflate(&samples.data);
    Ok(Image::new(
        (samples.width, samples.height),
        (width, height),
        samples.colour,
        Encoding::Deflate,
        data,
        alpha.map(|a| deflate(&a)),
    ))
}

/// Reads, decodes and shrinks the image file at `path` (resolved).
fn load_file(path: &Path, rules: &ImageRules) -> Result<Image, ImageError> {
    let bytes = files::read_input(path, MAX_IMAGE_BYTES).map_err(|error| match error {
        ReadError::Io(error) => ImageError::Read(crate::io_reason(&error)),
        other => ImageError::NotAFile(other.to_string()),
    })?;
    let format = format_of(&bytes).ok_or(ImageError::NotAnImage)?;
    decode(bytes, format, rules)
}

/// The sides of the image `bytes` hold, from its header, without limits:
/// the caller holds them to [`MAX_IMAGE_SIDE`] in its own words.
fn dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), ImageError> {
    if let Some(sides) = png_sides(bytes, format) {
        return Ok(sides);
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.no_limits();
    reader.into_dimensions().map_err(decode_error)
}

/// A PNG's sides as its header (`IHDR`) writes them, read here: the PNG
/// decoder refuses sides whose pixels it cannot count (4,000,000,000 a
/// side) as "Memory limit exceeded", not as the side limit they pass.
fn png_sides(bytes: &[u8], format: ImageFormat) -> Option<(u32, u32)> {
    if format != ImageFormat::Png || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let side = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    Some((side(16)?, side(20)?))
}

fn decode_error(error: image::ImageError) -> ImageError {
    match error {
        image::ImageError::IoError(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImageError::Truncated
        }
        image::ImageError::Limits(_) => ImageError::Undecodable(error.to_string()),
        other => {
            let text = other.to_string();
            // The PNG decoder says "unexpected end of file" in its own words.
            if text.contains("end of file")
                || text.contains("EOF")
                || text.contains("No more bytes")
            {
                ImageError::Truncated
            } else {
                ImageError::Undecodable(text)
            }
        }
    }
}

/// Decodes `bytes` within the limits and keeps what the PDF needs.
fn decode(bytes: Vec<u8>, format: ImageFormat, rules: &ImageRules) -> Result<Image, ImageError> {
    if let Some((width, height)) = png_sides(&bytes, format) {
        if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
            return Err(ImageError::TooWide { width, height });
        }
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(&bytes[..]), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    // The header is checked first, so that the error names our limit; the
    // decoder's own limits stand behind it.
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(ImageError::TooWide { width, height });
    }
    let decoded_bytes = decoder.total_bytes();
    if decoded_bytes > MAX_DECODED_BYTES {
        return Err(ImageError::TooLarge {
            width,
            height,
            bytes: decoded_bytes,
        });
    }
    if width == 0 || height == 0 {
        return Err(ImageError::Undecodable("it has no pixels".into()));
    }
    decoder.set_limits(limits).map_err(decode_error)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let turned = orientation_swaps_sides(orientation);
    let (upright_width, upright_height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    let needed = rules.needed_width();
    let shrink = upright_width > needed;
    let mut pixels = {
        let _permit = DECODING.take(decoded_bytes);
        if shrink {
            let new_height =
                ((upright_height as f64 * needed as f64 / upright_width as f64).round() as u32)
                    .max(1);
            let (w, h) = if turned {
                (new_height, needed)
            } else {
                (needed, new_height)
            };
            decoded_and_shrunk(decoder, w, h)?
            // The full-size pixels go before the permit does.
        } else {
            DynamicImage::from_decoder(decoder).map_err(decode_error)?
        }
    };
    let own_jpeg = format == ImageFormat::Jpeg
        && !shrink
        && orientation == image::metadata::Orientation::NoTransforms
        && jpeg_a_pdf_reads(&bytes);
    pixels.apply_orientation(orientation);
    let (samples, alpha) = samples_and_alpha(pixels);
    let (encoding, data) = if own_jpeg {
        (Encoding::Jpeg, bytes)
    } else if format == ImageFormat::Jpeg {
        (Encoding::Jpeg, encode_jpeg(&samples)?)
    } else {
        (Encoding::Deflate, deflate(&samples.data))
    };
    let alpha = alpha.map(|a| deflate(&a));
    let colour = samples.colour;
    Ok(Image::new(
        (samples.width, samples.height),
        (upright_width, upright_height),
        colour,
        encoding,
        data,
        alpha,
    ))
}

impl Image {
    fn new(
        (width, height): (u32, u32),
        (source_width, source_height): (u32, u32),
        colour: Colour,
        encoding: Encoding,
        data: Vec<u8>,
        alpha: Option<Vec<u8>>,
    ) -> Image {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(width.to_be_bytes());
        hash.update(height.to_be_bytes());
        hash.update([colour as u8, encoding as u8]);
        hash.update((data.len() as u64).to_be_bytes());
        hash.update(&data);
        if let Some(alpha) = &alpha {
            hash.update(alpha);
        }
        Image {
            width,
            height,
            source_width,
            source_height,
            colour,
            encoding,
            data,
            alpha,
            digest: hash.finalize().into(),
        }
    }
}

fn orientation_swaps_sides(orientation: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(
        orientation,
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    )
}

/// The image `decoder` holds, decoded and shrunk to `width` × `height`.
///
/// The full-size pixels of an 8-bit image (every photo from a camera) are
/// decoded into one buffer kept for the whole run, [`SPARE_PIXELS`], not
/// into new memory each time: the allocator keeps freed memory for a while,
/// so a second thread's decode, let in by the budget once the first was
/// done, was sometimes stacked on the first one's freed pixels (630 MB for
/// two 10,000-pixel photos instead of 330). Reused, the same memory holds
/// one after the other.
fn decoded_and_shrunk(
    decoder: impl ImageDecoder,
    width: u32,
    height: u32,
) -> Result<DynamicImage, ImageError> {
    use image::{ColorType, ImageBuffer};
    let (full_width, full_height) = decoder.dimensions();
    let colour = decoder.color_type();
    if !matches!(
        colour,
        ColorType::L8 | ColorType::La8 | ColorType::Rgb8 | ColorType::Rgba8
    ) {
        let full = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
        return Ok(shrunk(&full, width, height));
    }
    let needed = decoder.total_bytes() as usize;
    let mut pixels = std::mem::take(&mut *spare_pixels());
    if pixels.len() < needed {
        // Zeroed by the system, not written over.
        pixels = vec![0; needed];
    } else {
        // Its old pixels are all written over.
        pixels.truncate(needed);
    }
    if let Err(error) = decoder.read_image(&mut pixels) {
        keep_spare(pixels);
        return Err(decode_error(error));
    }
    let full = match colour {
        ColorType::L8 => {
            ImageBuffer::from_raw(full_width, full_height, pixels).map(DynamicImage::ImageLuma8)
        }
        ColorType::La8 => {
            ImageBuffer::from_raw(full_width, full_height, pixels).map(DynamicImage::ImageLumaA8)
        }
        ColorType::Rgb8 => {
            ImageBuffer::from_raw(full_width, full_height, pixels).map(DynamicImage::ImageRgb8)
        }
        _ => ImageBuffer::from_raw(full_width, full_height, pixels).map(DynamicImage::ImageRgba8),
    }
    .expect("the buffer holds the decoder's bytes");
    let image = shrunk(&full, width, height);
    keep_spare(match full {
        DynamicImage::ImageLuma8(full) => full.into_raw(),
        DynamicImage::ImageLumaA8(full) => full.into_raw(),
        DynamicImage::ImageRgb8(full) => full.into_raw(),
        DynamicImage::ImageRgba8(full) => full.into_raw(),
        _ => Vec::new(),
    });
    Ok(image)
}

/// The buffer of the last full-size 8-bit decode, for the next one.
static SPARE_PIXELS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

fn spare_pixels() -> std::sync::MutexGuard<'static, Vec<u8>> {
    SPARE_PIXELS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps `pixels` for the next decode if it is the larger buffer (two
/// decodes may run at once; the other one's is freed).
fn keep_spare(pixels: Vec<u8>) {
    let mut spare = spare_pixels();
    if pixels.capacity() > spare.capacity() {
        *spare = pixels;
    }
}

/// `image` shrunk to `width` × `height`: by averaging the pixels each new
/// one covers when it shrinks a lot (fast, and as good as a filter there),
/// with a triangle filter when it shrinks a little (averaging would alias).
fn shrunk(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    if image.width() >= 2 * width && image.height() >= 2 * height {
        image.thumbnail_exact(width, height)
    } else {
        image.resize_exact(width, height, image::imageops::FilterType::Triangle)
    }
}

/// Pixels as 8-bit samples, grey or RGB, without opacity.
struct Samples {
    width: u32,
    height: u32,
    colour: Colour,
    data: Vec<u8>,
}

/// 8-bit samples, grey or RGB, and 8-bit opacity apart (none when every
/// pixel is opaque). 16-bit samples are scaled to 8.
fn samples_and_alpha(image: DynamicImage) -> (Samples, Option<Vec<u8>>) {
    let (width, height) = (image.width(), image.height());
    let colour = if image.color().has_color() {
        Colour::Rgb
    } else {
        Colour::Grey
    };
    let (data, alpha) = match (colour, image.color().has_alpha()) {
        (Colour::Grey, false) => (image.into_luma8().into_raw(), None),
        (Colour::Rgb, false) => (image.into_rgb8().into_raw(), None),
        (Colour::Grey, true) => split_alpha(&image.into_luma_alpha8().into_raw(), 1),
        (Colour::Rgb, true) => split_alpha(&image.into_rgba8().into_raw(), 3),
    };
    let samples = Samples {
        width,
        height,
        colour,
        data,
    };
    (
        samples,
        alpha.filter(|a| a.iter().any(|&opacity| opacity != 255)),
    )
}

/// Samples of `channels` colours and one of opacity, apart.
fn split_alpha(pixels: &[u8], channels: usize) -> (Vec<u8>, Option<Vec<u8>>) {
    let count = pixels.len() / (channels + 1);
    let mut colours = Vec::with_capacity(count * channels);
    let mut alpha = Vec::with_capacity(count);
    for pixel in pixels.chunks_exact(channels + 1) {
        colours.extend_from_slice(&pixel[..channels]);
        alpha.push(pixel[channels]);
    }
    (colours, Some(alpha))
}

fn encode_jpeg(samples: &Samples) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let kind = match samples.colour {
        Colour::Grey => image::ExtendedColorType::L8,
        Colour::Rgb => image::ExtendedColorType::Rgb8,
    };
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode(&samples.data, samples.width, samples.height, kind)
        .map_err(|error| ImageError::Undecodable(error.to_string()))?;
    Ok(out)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2 + 64),
        flate2::Compression::new(6),
    );
    encoder
        .write_all(data)
        .expect("deflating into memory does not fail");
    encoder
        .finish()
        .expect("deflating into memory does not fail")
}

/// Whether a PDF reader can show this JPEG file as it is: baseline or
/// progressive Huffman coding, 8 bits, grey or three colour components
/// (not CMYK, whose PDF colours would come out inverted).
fn jpeg_a_pdf_reads(bytes: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        match marker {
            0xC0..=0xC2 => {
                let precision = bytes.get(at + 4).copied();
                let components = bytes.get(at + 9).copied();
                return precision == Some(8) && matches!(components, Some(1 | 3));
            }
            // Any other frame: lossless, hierarchical or arithmetic.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return false,
            0xDA | 0xD9 => return false,
            _ => at += 2 + length,
        }
    }
    false
}

/// Counts the decoded pixel data threads hold at once.
struct Budget {
    in_use: Mutex<u64>,
    freed: Condvar,
}

static DECODING: Budget = Budget {
    in_use: Mutex::new(0),
    freed: Condvar::new(),
};

/// A share of the budget, given back when dropped.
struct Permit {
    bytes: u64,
}

impl Budget {
    /// Waits until `bytes` fit in the budget. One decode alone always
    /// fits (it is within [`MAX_DECODED_BYTES`]), so nothing waits forever.
    fn take(&'static self, bytes: u64) -> Permit {
        let mut in_use = self.in_use.lock().unwrap_or_else(|e| e.into_inner());
        while *in_use > 0 && *in_use + bytes > DECODING_BUDGET {
            in_use = self.freed.wait(in_use).unwrap_or_else(|e| e.into_inner());
        }
        *in_use += bytes;
        Permit { bytes }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut in_use = DECODING.in_use.lock().unwrap_or_else(|e| e.into_inner());
        *in_use -= self.bytes;
        DECODING.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_photo_width_is_the_themes() {
        let theme =
            crate::typeset::Theme::from_yaml(include_str!("../templates/theme.yaml")).unwrap();
        assert_eq!(theme.photo_width, BUILT_IN_PHOTO_WIDTH);
    }

    #[test]
    fn images_are_kept_at_300_dpi_of_their_printed_width() {
        let rules = |print_width| ImageRules {
            allowed: Vec::new(),
            print_width,
        };
        // 28 mm: 330.7 pixels.
        assert_eq!(ImageRules::default().needed_width(), 331);
        assert_eq!(rules(72.0).needed_width(), 300);
        for nonsense in [0.0, -5.0, f32::NAN] {
            assert_eq!(rules(nonsense).needed_width(), 1);
        }
        assert_eq!(rules(f32::INFINITY).needed_width(), MAX_IMAGE_SIDE);
    }

    #[test]
    fn the_images_of_a_markdown_text_are_found_as_written() {
        assert_eq!(
            images_in_markdown(
                "See ![a](photos/a.png) and ![b](<my photos/b.png>), [not](c.png), ![a again](photos/a.png)\n\n![r][ref]\n\n[ref]: d.png"
            ),
            ["photos/a.png", "my photos/b.png", "d.png"]
        );
        // A reference to a definition elsewhere is no image here.
        assert!(images_in_markdown("![x][elsewhere]").is_empty());
    }

    fn png(image: &DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn a_wide_image_is_shrunk_and_keeps_its_proportions() {
        let wide = DynamicImage::ImageRgb8(image::RgbImage::from_fn(1000, 500, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 7])
        }));
        let image = decode(png(&wide), ImageFormat::Png, &ImageRules::default()).unwrap();
        assert_eq!((image.width, image.height), (331, 166));
        assert_eq!((image.source_width, image.source_height), (1000, 500));
        assert_eq!(
            (image.colour, image.encoding, image.alpha.is_some()),
            (Colour::Rgb, Encoding::Deflate, false)
        );
    }

    #[test]
    fn sixteen_bit_grey_with_alpha_becomes_eight_bit_grey_and_a_mask() {
        let grey = DynamicImage::ImageLumaA16(image::ImageBuffer::from_fn(20, 10, |x, _| {
            image::LumaA([x as u16 * 3000, if x < 10 { 0 } else { 65535 }])
        }));
        let image = decode(png(&grey), ImageFormat::Png, &ImageRules::default()).unwrap();
        assert_eq!(
            (image.width, image.height, image.colour),
            (20, 10, Colour::Grey)
        );
        let inflate = |data: &[u8]| {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(data), &mut out)
                .unwrap();
            out
        };
        let samples = inflate(&image.data);
        assert_eq!(samples.len(), 200);
        assert_eq!(samples[19], (19.0f64 * 3000.0 / 257.0).round() as u8);
        let alpha = inflate(image.alpha.as_ref().unwrap());
        assert_eq!((alpha[0], alpha[19]), (0, 255));
        // An image that is opaque everywhere has no mask.
        let opaque = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            4,
            4,
            image::Rgba([1, 2, 3, 255]),
        ));
        let image = decode(png(&opaque), ImageFormat::Png, &ImageRules::default()).unwrap();
        assert!(image.alpha.is_none());
    }

    #[test]
    fn a_small_jpeg_keeps_its_own_bytes_and_a_large_one_is_encoded_again() {
        let jpeg = |width, height| {
            let photo = image::RgbImage::from_fn(width, height, |x, y| {
                image::Rgb([(x * 3 % 256) as u8, (y * 5 % 256) as u8, 90])
            });
            let mut bytes = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80)
                .encode_image(&photo)
                .unwrap();
            bytes
        };
        let small = jpeg(120, 150);
        assert!(jpeg_a_pdf_reads(&small));
        let image = decode(small.clone(), ImageFormat::Jpeg, &ImageRules::default()).unwrap();
        assert_eq!((image.encoding, &image.data), (Encoding::Jpeg, &small));
        let large = jpeg(1200, 600);
        let image = decode(large.clone(), ImageFormat::Jpeg, &ImageRules::default()).unwrap();
        assert_eq!(
            (image.encoding, image.width, image.height),
            (Encoding::Jpeg, 331, 166)
        );
        assert!(image.data.len() < large.len());
        assert!(jpeg_a_pdf_reads(&image.data));
    }

    #[test]
    fn the_same_image_has_the_same_digest() {
        let pixels = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(3, 3, image::Rgb([9; 3])));
        let a = decode(png(&pixels), ImageFormat::Png, &ImageRules::default()).unwrap();
        let b = decode(png(&pixels), ImageFormat::Png, &ImageRules::default()).unwrap();
        assert_eq!(a.digest, b.digest);
        let other = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(3, 3, image::Rgb([8; 3])));
        let c = decode(png(&other), ImageFormat::Png, &ImageRules::default()).unwrap();
        assert_ne!(a.digest, c.digest);
    }

    #[test]
    fn a_png_header_claiming_four_billion_pixels_a_side_is_refused_by_the_side_limit() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(4_000_000_000u32.to_be_bytes().repeat(2));
        png.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        let error = decode(png, ImageFormat::Png, &ImageRules::default()).unwrap_err();
        assert_eq!(
            error.message("photo", "p.png"),
            "photo `p.png` is 4000000000 × 4000000000 pixels, more than the 20000 pixels a side an image may have"
        );
    }

    #[test]
    fn the_nesting_of_svg_tags_is_counted_from_the_bytes() {
        let nested = |depth: usize, inside: &str| {
            format!(
                "{}{inside}{}",
                "<g a='>'>".repeat(depth),
                "</g>".repeat(depth)
            )
        };
        assert!(tags_nested_within(nested(3, "<rect/>").as_bytes(), 4));
        assert!(!tags_nested_within(
            nested(3, "<rect></rect>").as_bytes(),
            3
        ));
        // Comments, CDATA, declarations and instructions are not tags.
        let quiet = "<?xml version='1.0'?><!DOCTYPE svg><!-- <g><g> --><![CDATA[<g><g>]]>";
        assert!(tags_nested_within(nested(2, quiet).as_bytes(), 2));
        // Not closed: each open tag counts.
        assert!(!tags_nested_within("<g><g><g>".as_bytes(), 2));
    }

    #[test]
    fn decodes_share_a_budget_and_one_alone_always_fits() {
        let first = DECODING.take(MAX_DECODED_BYTES / 2);
        let second = DECODING.take(MAX_DECODED_BYTES / 2);
        let waiting = std::thread::spawn(|| {
            let _third = DECODING.take(1);
        });
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!waiting.is_finished(), "a third waits for room");
        drop(first);
        waiting.join().unwrap();
        drop(second);
        // More than the budget, alone: taken at once.
        drop(DECODING.take(DECODING_BUDGET + 1));
    }
}
