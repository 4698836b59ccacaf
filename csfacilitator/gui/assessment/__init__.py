"""The Assessment tab: report sections, the context weighting picture and priorities."""
