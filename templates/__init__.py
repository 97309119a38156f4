"""paperkit's built-in house styles: one folder per style, templates/<house>/<template>/.

Not code: this file makes the folder the package paperkit.templates, so the styles ship
inside the wheel and are found with importlib.resources wherever paperkit is installed.
"""
