"""Text analysis, the bottom layer: tokens, filters, folding, French word lists."""
