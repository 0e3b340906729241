"""Chinese text for every stage: jieba segmentation with the user dictionary, normalisation."""
