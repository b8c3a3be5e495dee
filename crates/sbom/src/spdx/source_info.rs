//! A package's `sourceInfo`: Syft's sentence saying what kind of record the package came
//! from, followed by the paths of its locations. Reading takes the paths back.

use plimsoll_model::{Location, Package, PackageType};

const LEAD: &str = "acquired package info from ";

/// `acquired package info from <record>: <path>, <path>`. The record names are Syft 1.18.1's,
/// as its SPDX output shows them.
pub(crate) fn encode(package: &Package) -> String {
    let record = match package.package_type {
        PackageType::Alpm => "ALPM DB",
        PackageType::Apk => "APK DB",
        PackageType::Binary | PackageType::GraalVmNativeImage => "the following paths",
        PackageType::CocoaPods => "installed cocoapods manifest file",
        PackageType::Conan => "conan manifest",
        PackageType::DartPub => "pubspec manifest",
        PackageType::Deb => "DPKG DB",
        PackageType::DotNet => "dotnet project assets file",
        PackageType::ErlangOtp => "ErLang application resource file",
        PackageType::Gem => "installed gem metadata file",
        PackageType::GithubAction | PackageType::GithubActionWorkflow => {
            "GitHub Actions workflow file or composite action file"
        }
        PackageType::GoModule => "go module information",
        PackageType::Hackage => "cabal or stack manifest files",
        PackageType::Hex => "rebar3 or mix manifest file",
        PackageType::JavaArchive | PackageType::JenkinsPlugin => "installed java archive",
        PackageType::LinuxKernel => "linux kernel archive",
        PackageType::LinuxKernelModule => "linux kernel module files",
        PackageType::LuaRocks => "Rockspec package file",
        PackageType::Nix => "nix store path",
        PackageType::Npm => "installed node module manifest file",
        PackageType::Opam => "OCaml opam package file",
        PackageType::PhpComposer => "PHP composer manifest",
        PackageType::PhpPecl => "PHP Pecl manifest",
        PackageType::Portage => "portage DB",
        PackageType::Python => "installed python package manifest file",
        PackageType::RPackage => "R-package DESCRIPTION file",
        PackageType::Rpm => "RPM DB",
        PackageType::RustCrate => "rust cargo manifest",
        PackageType::Swift => "resolved Swift package manifest",
        // Syft's spelling.
        PackageType::SwiplPack => "SWI Prolo pack package file",
        PackageType::WordpressPlugin => "found wordpress plugin PHP source files",
    };
    let paths: Vec<&str> = package.locations.iter().map(|l| l.path.as_str()).collect();
    format!("{LEAD}{record}: {}", paths.join(", "))
}

/// The location paths named in a Syft `sourceInfo`; none for any other text. A path that
/// itself contains `, ` cannot be told apart and comes back split.
pub(crate) fn decode(source_info: &str) -> Vec<Location> {
    let Some(rest) = source_info.strip_prefix(LEAD) else {
        return Vec::new();
    };
    let Some((_, paths)) = rest.split_once(": ") else {
        return Vec::new();
    };
    paths
        .split(", ")
        .filter(|path| !path.is_empty())
        .map(|path| Location::new(path, None))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let locations = decode(
            "acquired package info from ALPM DB: /var/lib/pacman/local/p/desc, /var/lib/pacman/local/p/files",
        );
        let paths: Vec<&str> = locations.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/var/lib/pacman/local/p/desc",
                "/var/lib/pacman/local/p/files"
            ]
        );
        assert!(decode("acquired package info from DPKG DB: ").is_empty());
        assert!(decode("from somewhere: /x").is_empty());
    }
}
