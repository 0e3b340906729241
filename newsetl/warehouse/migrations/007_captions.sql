-- An item's photo captions (`图一`, a caption printed apart from its photo), of which a
-- photo item may be made alone. NULL for items loaded before captions were kept.
ALTER TABLE fact_article ADD COLUMN captions VARCHAR[];
