"""Dialogs: modal screens over the tabs."""
