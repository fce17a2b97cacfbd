"""The paper -> figure/table -> notebook map, as data (shown by notebook 00 and checked against the README)."""

from __future__ import annotations

from dataclasses import dataclass

from lib.paths import REPO_ROOT

PAPERS = {
    "P1": "Footstep detection with a siamese network on paired audio + geophone log-mel spectrograms",
    "P2": "PRIMUS: pretraining IMU encoders with multimodal and self-supervised learning",
    "P3": "Survey: cross-modal transfer for IMU-based human activity recognition",
    "P4": "Virtual IMU data from motion capture for complex human activity recognition",
}


@dataclass(frozen=True)
class Citation:
    """How a paper is cited: authors, title and venue exactly as printed in the paper's text.

    A field the paper's text does not print is ``None`` and shows as "not printed". ``printed`` is other
    text the paper prints that helps to find it (its code repository); ``found`` is what the paper's public
    arXiv listing adds when the text prints no authors or venue (an arXiv id, the authors), always
    marked † so that nobody takes it for the paper's own words.
    """

    authors: str | None
    title: str
    venue: str | None
    printed: str | None = None
    found: str | None = None

    def markdown(self) -> str:
        """One line: authors. *title*. venue. printed extras. arXiv-listing extras †. (what is not printed)"""
        parts = [p for p in (self.authors, f"*{self.title}*", self.venue, self.printed) if p]
        if self.found:
            parts.append(f"{self.found} †")
        missing = [name for name, value in (("authors", self.authors), ("venue", self.venue)) if not value]
        text = ". ".join(parts) + "."
        if missing:
            text += f" ({' and '.join(missing).capitalize()} not printed in the paper's text.)"
        return text


#: The footnote to every list of :data:`CITATIONS` that shows a † field.
CITATION_NOTE = ("† not printed in the paper's text; from the paper's public arXiv listing, so that the paper can be "
                 "found.")

CITATIONS = {
    "P1": Citation(None, "Metric-based multimodal meta-learning for human movement identification via footstep "
                   "recognition", "Preprint: Under review"),
    "P2": Citation(None, "PRimuS: Pretraining IMU Encoders with Multimodal Self-Supervision", None,
                   printed="Code: github.com/nokia-bell-labs/pretrained-imu-encoders", found="arXiv 2411.15127"),
    "P3": Citation("Abhi Kamboj, Minh Do (University of Illinois, Urbana-Champaign)",
                   "A Survey of IMU Based Cross-Modal Transfer Learning in Human Activity Recognition", None),
    "P4": Citation(None, "A Deep Learning Method for Complex Human Activity Recognition Using Virtual Wearable "
                   "Sensors", None, found="Xiao, Pei et al., arXiv 2003.01874"),
}


#: The front page's figures, one per paper that has a headline result figure (P3 is a survey: its figures
#: are drawn diagrams): (paper, file in figures/, caption, notebook that draws it).
HEADLINE_FIGURES = [
    ("P1", "p1_fig8_training_size.png", "Fig. 8: 200 vs 500 training pairs (the abstract's +19.99-point claim)",
     "12_footstep_training_size"),
    ("P2", "p2_fig4_few_shot.png", "Fig. 4: few-shot linear probing, PRIMUS vs the baselines, three tasks",
     "22_primus_few_shot"),
    ("P4", "p4_table2_accuracy.png", "Table 2: accuracy per experiment and method, the paper's beside ours",
     "41_virtual_imu_har"),
]


@dataclass(frozen=True)
class Item:
    """One figure or table of a paper and the notebook that reproduces it (a row of the README's notebook map)."""

    paper: str
    item: str  # the paper's own numbering, e.g. "Fig. 6" or "Table 1"
    what: str
    notebook: str  # file stem in notebooks/

    @property
    def available(self) -> bool:
        """Whether ``notebooks/<notebook>.ipynb`` exists yet."""
        return (REPO_ROOT / "notebooks" / f"{self.notebook}.ipynb").exists()


ITEMS = [
    Item("P1", "Fig. 1–2", "spectrograms of a negative and a positive audio/geophone pair", "10_footstep_data"),
    Item("P1", "Table 1", "train/val/test top-1 accuracy, CNN and LSTM (+ unimodal rows)", "11_footstep_siamese_training"),
    Item("P1", "Fig. 6–7", "accuracy and loss curves for several batch sizes, CNN and LSTM", "11_footstep_siamese_training"),
    Item("P1", "Fig. 8", "200 vs 500 training pairs (the abstract's +19.99 points)", "12_footstep_training_size"),
    Item("P2", "Table I", "pretraining and downstream datasets", "20_primus_world"),
    Item("P2", "—", "pretraining every objective (checkpoints reused downstream)", "21_primus_pretraining"),
    Item("P2", "Fig. 4", "few-shot linear probing vs labelled samples per class, three tasks", "22_primus_few_shot"),
    Item("P2", "Fig. 5", "loss-term ablations, including the nearest-neighbour-only collapse", "23_primus_ablations"),
    Item("P2", "Fig. 6", "fraction of pretraining data aligned with video/text", "24_primus_aligned_fraction"),
    Item("P3", "Fig. 1–3, tables", "task map, fusion vs transfer, instance vs feature transfer; reviewed works", "30_survey_taxonomy"),
    Item("P3", "beyond", "transfer lab: every transfer category on one simulated world", "31_survey_transfer_lab"),
    Item("P4", "Table 1, Fig. 1–4", "public HAR datasets; wrist acceleration; stick figures", "40_virtual_imu_synthesis"),
    Item("P4", "Table 2, Fig. 5–6", "three experiments x three models; confusion matrices", "41_virtual_imu_har"),
]


def catalog_frame():
    """The map as a DataFrame with an ``available`` column (planned notebooks are marked)."""
    import pandas as pd

    rows = [{"paper": i.paper, "figure/table": i.item, "what": i.what, "notebook": i.notebook,
             "status": "available" if i.available else "planned"} for i in ITEMS]
    return pd.DataFrame(rows)
