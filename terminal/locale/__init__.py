"""The gettext catalogues: ``<language>/LC_MESSAGES/member_terminal.po`` sources, the .mo
files built from them (``python -m terminal.locale.build``)."""
