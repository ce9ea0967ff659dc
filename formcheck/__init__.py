"""formcheck: watches a person exercise and says, on the video, whether the form is right."""

__version__ = "0.2.0"
