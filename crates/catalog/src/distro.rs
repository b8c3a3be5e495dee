//! Distro detection from os-release and the usual fallbacks.
