"""The sample corpus: fictitious Spanish and English legal documents rendered as PDFs (`samples/corpus.py`)."""
