"""The pygame-ce window: scenes, widgets and theme. Reads the world through the session and
changes it only by submitting actions."""
