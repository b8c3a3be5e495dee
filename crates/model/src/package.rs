//! A package: one installed or declared piece of software, with its identity and evidence.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{License, Location, PackageMetadata};

macro_rules! package_types {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// The ecosystem a package belongs to, named as Syft names it in `type`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum PackageType {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl PackageType {
            /// The `type` string used in syft-json and the table.
            pub fn as_str(self) -> &'static str {
                match self { $(PackageType::$variant => $name,)* }
            }

            /// Parses a `type` string; `None` for an unknown one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(PackageType::$variant),)* _ => None }
            }
        }
    };
}

package_types! {
    Alpm => "alpm",
    Apk => "apk",
    Binary => "binary",
    CocoaPods => "pod",
    Conan => "conan",
    DartPub => "dart-pub",
    Deb => "deb",
    DotNet => "dotnet",
    ErlangOtp => "erlang-otp",
    Gem => "gem",
    GithubAction => "github-action",
    GithubActionWorkflow => "github-action-workflow",
    GoModule => "go-module",
    GraalVmNativeImage => "graalvm-native-image",
    Hackage => "hackage",
    Hex => "hex",
    JavaArchive => "java-archive",
    JenkinsPlugin => "jenkins-plugin",
    LinuxKernel => "linux-kernel",
    LinuxKernelModule => "linux-kernel-module",
    LuaRocks => "lua-rocks",
    Nix => "nix",
    Npm => "npm",
    Opam => "opam",
    PhpComposer => "php-composer",
    PhpPecl => "php-pecl",
    Portage => "portage",
    Python => "python",
    RPackage => "R-package",
    Rpm => "rpm",
    RustCrate => "rust-crate",
    Swift => "swift",
    SwiplPack => "swiplpack",
    WordpressPlugin => "wordpress-plugin",
}

impl fmt::Display for PackageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CPE 2.3 formatted string and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Cpe {
    /// The formatted string, `cpe:2.3:a:vendor:product:version:…`.
    pub cpe: String,
    /// `declared`, `nvd-cpe-dictionary` or `syft-generated`.
    pub source: String,
}

/// One package found in a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub package_type: PackageType,
    /// The cataloger that found it (for example `dpkg-db-cataloger`).
    pub found_by: String,
    /// Every file that is evidence of the package, sorted.
    pub locations: Vec<Location>,
    pub licenses: Vec<License>,
    /// The programming language, for language packages; empty for OS packages.
    pub language: String,
    pub cpes: Vec<Cpe>,
    /// The package URL; empty where none can be formed (an OS package with no distro).
    pub purl: String,
    pub metadata: PackageMetadata,
}

impl Package {
    /// A stable identifier for the package, 16 hex digits. Two packages with the same
    /// identity (type, name, version, PURL, metadata and the real paths of their locations)
    /// get the same ID, which is how the same package seen in several layers is merged.
    pub fn id(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.identity_key().as_bytes());
        let mut paths: Vec<&str> = self.locations.iter().map(|l| l.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        for path in paths {
            hasher.update(b"\0");
            hasher.update(path.as_bytes());
        }
        hex::encode(&hasher.finalize()[..8])
    }

    /// What makes two packages the same package, ignoring where they were seen: type, name,
    /// version, PURL, cataloger and metadata.
    pub fn identity_key(&self) -> String {
        let metadata = serde_json::to_string(&self.metadata).unwrap_or_default();
        format!(
            "{}\0{}\0{}\0{}\0{}\0{}",
            self.package_type, self.name, self.version, self.purl, self.found_by, metadata
        )
    }

    /// Syft's ordering of packages: name, version, type, then location paths.
    pub fn sort_key(&self) -> (&str, &str, &str, Vec<&str>) {
        let paths = self.locations.iter().map(|l| l.path.as_str()).collect();
        (&self.name, &self.version, self.package_type.as_str(), paths)
    }
}
