"""Categories: the subject sections, their subcategories and who may read or write in them."""
