"""The page shell: the home page and the navigation, which read every domain they show.

It stands apart from `core`, which every domain imports, so that what the domains share never
depends on the domains themselves; nothing but the project's URLs and settings imports it.
"""
