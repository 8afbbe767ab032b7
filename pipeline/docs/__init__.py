"""Release documentation, generated from the release itself so it cannot
drift away from the data: datasheet, Croissant, dataset card, changelog,
citation, data licence. Every function here is pure: a ReleaseContext in,
text or JSON out."""
