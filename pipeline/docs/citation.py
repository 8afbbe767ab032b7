"""CITATION.cff and LICENSE-DATA.md of a release.

CITATION.cff (Citation File Format 1.2.0, ``type: dataset``) says how to cite
this version. LICENSE-DATA.md states the terms the data is shared under:
non-commercial research and text and data mining only; rights stay with the
publishers and the commenters; no redistribution outside research; a
takedown route. Neither ever names an open content licence, and no contact
address is invented: the one configured in ``[tool.corpus]`` of pyproject.toml
(``ctx.contact``), or a plain statement that none is set. Pure: a
ReleaseContext in, text out.
"""

from __future__ import annotations

import yaml

from pipeline.docs import terms
from pipeline.docs.context import ReleaseContext


def citation_cff(ctx: ReleaseContext) -> str:
    """CITATION.cff for the release (CFF 1.2.0, type: dataset)."""
    preview = " This is a preview build, not a release." if ctx.preview else ""
    document = {
        "cff-version": "1.2.0",
        "message": (
            "If you use this dataset, please cite this version as below. The data is for "
            f"non-commercial research only: see {terms.LICENSE_FILE}.{preview}"
        ),
        "type": "dataset",
        "title": ctx.title,
        "version": ctx.version,
        "date-released": ctx.date,
        "authors": [{"name": terms.MAINTAINERS}],
        "abstract": (
            "News articles and the reader comment threads under them, parsed from saved web "
            "pages, deduplicated, with commenter handles replaced by keyed pseudonyms "
            f"(key fingerprint {ctx.key_fingerprint}). {terms.CONTENT_WARNING}"
        ),
        "keywords": ["news comments", "online discourse", "propaganda", "toxicity"],
        **_contact(ctx.contact),
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88)


def _contact(address: str | None) -> dict[str, object]:
    """CFF ``contact``: an e-mail address or a web address; nothing when none is set."""
    if not address:
        return {}
    kind = "email" if "@" in address and "://" not in address else "website"
    return {"contact": [{"name": terms.MAINTAINERS, kind: address}]}


def license_text(ctx: ReleaseContext) -> str:
    """LICENSE-DATA.md: the terms of use of the data in this release."""
    return "\n".join(
        [
            f"# Terms of use of the data: {ctx.title} {ctx.version}",
            "",
            f"Licence identifier: `{terms.LICENSE_ID}`. {terms.LICENSE_TERMS}.",
            "",
            *_ownership(),
            *_permitted(),
            *_forbidden(),
            *_personal_data(),
            *_takedown(ctx),
            *_warranty(),
        ]
    )


def _ownership() -> list[str]:
    return [
        "## Whose data this is",
        "",
        "The data files of this release (`*.parquet`) contain news articles and reader",
        "comments collected from web pages. The articles belong to their publishers and the",
        "comments to the people who wrote them; their copyright and other rights stay with",
        f"them. The {terms.MAINTAINERS.lower()} own none of these texts and grant no licence to",
        "them. The data is **not** released under an open content licence: no Creative",
        "Commons licence (such as CC-BY), open data licence or public-domain dedication",
        "applies to it. The pipeline's source code is licensed separately; that licence does",
        "not cover the data.",
        "",
    ]


def _permitted() -> list[str]:
    return [
        "## What you may do",
        "",
        "You may download, store and analyse the data, including by text and data mining,",
        "for **non-commercial research** (research whose purpose is knowledge, not a",
        "product or a profit), and publish the results of that research: statistics,",
        "findings, models' evaluation results and short quotations as far as the law on",
        "quotation permits. You may share the files with collaborators in the same",
        "non-commercial research project, who are bound by these same terms.",
        "",
    ]


def _forbidden() -> list[str]:
    return [
        "## What you may not do",
        "",
        "- use the data, or anything trained or derived from it, commercially;",
        "- redistribute the data, or substantial parts of it, outside non-commercial",
        "  research (for example by re-publishing it on the web or in another data set);",
        "- try to identify, locate, profile or contact any commenter or any person named",
        "  in the texts, reverse or link the pseudonyms, or combine the data with other",
        "  data to do so;",
        "- use it to make decisions about individuals (moderation, employment, credit,",
        "  law enforcement or similar);",
        "- train generative models on it whose output is published or deployed.",
        "",
    ]


def _personal_data() -> list[str]:
    return [
        "## Personal data",
        "",
        f"{terms.PSEUDONYM_SCHEME} {terms.REIDENTIFICATION_RISK} The comments therefore",
        "remain personal data, including political opinions. You are responsible for",
        "handling them lawfully under the data protection law that applies to you (for",
        "example the GDPR): keep the files secure, use them only for your research, and",
        "delete texts that a later version of this data set has removed after a takedown.",
        "",
    ]


def _takedown(ctx: ReleaseContext) -> list[str]:
    return [
        "## Takedown",
        "",
        "If you are a publisher whose article, or a person whose comment or name, is in",
        f"this data set and you want it removed, {terms.contact(ctx.contact)}, naming the release",
        "version and the `article_id` or `comment_id` (or quoting the text). The maintainers",
        "remove it in the next version and list the removal in that version's",
        "CHANGELOG.md.",
        "",
    ]


def _warranty() -> list[str]:
    return [
        "## No warranty",
        "",
        "The data is provided as is, without warranty of any kind: it may contain errors,",
        "and it contains offensive content. " + terms.CONTENT_WARNING,
        "",
    ]
