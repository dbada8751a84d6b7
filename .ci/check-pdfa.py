"""The PDF/A-2 rules (ISO 19005-2) a briefing could break, checked with
pikepdf: no JVM-free PDF/A validator exists, so CI reads what veraPDF's
PDFA-2B/2U/2A profiles would. Usage: check-pdfa.py FILE LEVEL (b, u or a)."""
import re
import sys

import pikepdf

path, level = sys.argv[1], sys.argv[2].upper()
pdf = pikepdf.open(path)
problems = []


def need(ok, what):
    if not ok:
        problems.append(what)


root = pdf.Root
# 6.1.2, 6.1.3: header, trailer id, no encryption.
need(pdf.pdf_version <= "1.7", "a PDF version PDF/A-2 knows")
need("/ID" in pdf.trailer, "a trailer /ID")
need(not pdf.is_encrypted, "no encryption")
# 6.2.3: one sRGB output intent with an ICC profile below version 5.
intents = root.get("/OutputIntents", [])
need(len(intents) == 1, "one output intent")
if intents:
    intent = intents[0]
    need(intent.S == "/GTS_PDFA1", "a GTS_PDFA1 output intent")
    icc = intent.DestOutputProfile.read_bytes()
    need(intent.DestOutputProfile.N == 3 and icc[16:20] == b"RGB ", "an RGB profile")
    need(icc[12:16] in (b"mntr", b"prtr") and icc[8] < 5, "a display profile below ICC 5")
# 6.6: XMP, unfiltered, with pdfaid matching the level asked for.
metadata = root.Metadata
need("/Filter" not in metadata, "unfiltered XMP")
xmp = metadata.read_bytes().decode("utf-8")
need(re.search(r"<\?xpacket begin=[^>]*\?>", xmp) and "bytes=" not in xmp, "an xpacket header")
need("<pdfaid:part>2</pdfaid:part>" in xmp, "pdfaid:part 2")
need(f"<pdfaid:conformance>{level}</pdfaid:conformance>" in xmp, f"pdfaid:conformance {level}")
if "pdfuaid:part" in xmp:
    need("<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp, "pdfuaid described in an extension schema")
title = str(pdf.docinfo.get("/Title", ""))
need(f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp.replace("&amp;", "&"), "dc:title = /Title")
need(str(pdf.docinfo.get("/Author", "x")) != "", "no empty /Author")
# 6.5, 6.4, 6.9: no forbidden actions, forms or optional content.
need("/AcroForm" not in root and "/OCProperties" not in root and "/AA" not in root, "no forms, layers or actions")
for number, page in enumerate(pdf.pages, 1):
    need("/AA" not in page, f"no page actions on page {number}")
    for annotation in page.get("/Annots", []):
        flags = int(annotation.get("/F", 0))
        need(flags & 4 and not flags & (1 | 2 | 32), f"printed, visible annotations on page {number}")
        action = annotation.get("/A")
        if action is not None:
            need(action.S in ("/GoTo", "/URI"), f"only GoTo and URI links on page {number}")
# 6.2.8, 6.2.11: images 8 bits, no interpolation; every font embedded.
for obj in pdf.objects:
    if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
        need(obj.get("/BitsPerComponent") in (1, 2, 4, 8, 16), "image bit depths PDF/A knows")
        need(not obj.get("/Interpolate", False) and "/Alternates" not in obj, "images without interpolation")
    if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
        need(any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")), "every font embedded")
# 6.7 (level a): tagged.
if level == "A":
    need(root.MarkInfo.Marked and "/StructTreeRoot" in root, "tags (PDF/A-2a)")

if problems:
    print(f"{path}: not PDF/A-2{level.lower()}:", *sorted(set(problems)), sep="\n  ")
    sys.exit(1)
print(f"{path}: PDF/A-2{level.lower()} checks pass")
