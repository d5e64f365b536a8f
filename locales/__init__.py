"""gettext catalogs (locales/<lang>/LC_MESSAGES/meridian.po|mo); a package so installs carry them."""
