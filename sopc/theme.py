"""What can be built (formats, profiles) and where the built-in theme's templates are.

Kept free of heavy imports: the CLI checks its options and the build cache hashes the
templates before anything of the pipeline is loaded.
"""

from __future__ import annotations

from pathlib import Path

THEME = "standaard"
FORMATS = ("html", "md", "pdf", "docx", "fragment")
# How each format is named in file names and on the site's index page: a fragment (the
# HTML to paste into a website's CMS, sopc.render) is an .html file of its own.
EXTENSIONS = {"html": "html", "md": "md", "pdf": "pdf", "docx": "docx",
              "fragment": "fragment.html"}
FORMAT_LABELS = {"html": "HTML", "md": "Markdown", "pdf": "PDF", "docx": "Word",
                 "fragment": "HTML-fragment"}
PROFILES = ("volledig", "ouders", "schoolgids")
PRESETS = ("perspectief-op-school", "ppo-nk")  # the SWV layers built into sopc (sopc.presets)


def document_name(stem: str, profile: str) -> str:
    """A document's file name without its extension: `x` for the full SOP, `x.ouders`
    for a profile."""
    return stem if profile == "volledig" else f"{stem}.{profile}"


def output_name(stem: str, profile: str, output_format: str) -> str:
    """`x.html` for the full SOP, `x.ouders.html` for a profile, `x.schoolgids.docx`,
    `x.schoolgids.fragment.html`."""
    return f"{document_name(stem, profile)}.{EXTENSIONS[output_format]}"


def output_label(file_name: str) -> str:
    """What a built document is, for a link: 'Word (schoolgids)', 'HTML'."""
    for output_format, extension in sorted(EXTENSIONS.items(), key=lambda item: -len(item[1])):
        if file_name.endswith("." + extension):
            rest = file_name[:-len(extension) - 1]
            label = FORMAT_LABELS[output_format]
            break
    else:
        return file_name.rpartition(".")[2]
    profile = next((name for name in PROFILES[1:] if rest.endswith("." + name)), None)
    return f"{label} ({profile})" if profile else label


def builtin_template_dir() -> Path:
    # imported here: `validate` never reads a template (importlib.resources, with tempfile
    # and zipfile, cost a cold start 3 ms)
    from importlib import resources

    return Path(str(resources.files("sopc.templates").joinpath(THEME)))


def builtin_templates() -> list[str]:
    """Every template of the built-in theme, as the name a theme folder overrides it by
    ('document.html.j2', 'blokken/clusters.html.j2')."""
    folder = builtin_template_dir()
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.is_file() and not path.name.startswith((".", "_")))
