"""The Qt user interface. Widgets call core operations; they never write SQL."""
