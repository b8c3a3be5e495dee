//! A license declared for a package, with where it was declared.

use serde::{Deserialize, Serialize};

use crate::Location;

/// One license statement, as a package's own records give it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct License {
    /// The license as written (for example `GPL-2+` or `MIT`).
    pub value: String,
    /// The SPDX expression for `value`, when it is a known SPDX identifier; else empty.
    pub spdx_expression: String,
    /// `declared` when the package states it; `concluded` when inferred.
    pub license_type: String,
    /// URLs that state the license.
    pub urls: Vec<String>,
    /// The files that declare it.
    pub locations: Vec<Location>,
}

impl License {
    /// A license declared by the package itself, found at `location`.
    pub fn declared(value: impl Into<String>, location: Location) -> Self {
        let value = value.into();
        License {
            spdx_expression: spdx_expression(&value),
            value,
            license_type: "declared".to_string(),
            urls: Vec::new(),
            locations: vec![location],
        }
    }
}

/// Maps common short license names onto SPDX identifiers. Names that are already SPDX
/// identifiers map to themselves; anything unknown maps to the empty string.
pub fn spdx_expression(value: &str) -> String {
    // Debian copyright files use the DEP-5 short names; `+` means "or later".
    let mapped = match value {
        "GPL-1" => "GPL-1.0-only",
        "GPL-1+" => "GPL-1.0-or-later",
        "GPL-2" | "GPL-2.0" | "GPLv2" => "GPL-2.0-only",
        "GPL-2+" | "GPLv2+" => "GPL-2.0-or-later",
        "GPL-3" | "GPL-3.0" | "GPLv3" => "GPL-3.0-only",
        "GPL-3+" | "GPLv3+" => "GPL-3.0-or-later",
        "LGPL-2" => "LGPL-2.0-only",
        "LGPL-2+" => "LGPL-2.0-or-later",
        "LGPL-2.1" | "LGPLv2.1" => "LGPL-2.1-only",
        "LGPL-2.1+" | "LGPLv2+" | "LGPLv2.1+" => "LGPL-2.1-or-later",
        "LGPL-3" | "LGPLv3" => "LGPL-3.0-only",
        "LGPL-3+" | "LGPLv3+" => "LGPL-3.0-or-later",
        "AGPL-3" => "AGPL-3.0-only",
        "AGPL-3+" => "AGPL-3.0-or-later",
        "Apache-2" | "Apache-2.0" | "ASL 2.0" => "Apache-2.0",
        "Artistic" | "Artistic-1.0" => "Artistic-1.0",
        "Artistic-2.0" => "Artistic-2.0",
        "BSD-2-clause" | "BSD-2-Clause" => "BSD-2-Clause",
        "BSD-3-clause" | "BSD-3-Clause" => "BSD-3-Clause",
        "BSD-4-clause" | "BSD-4-Clause" => "BSD-4-Clause",
        "MIT" | "Expat" => "MIT",
        "ISC" => "ISC",
        "Zlib" | "zlib" => "Zlib",
        "MPL-1.1" => "MPL-1.1",
        "MPL-2.0" => "MPL-2.0",
        "CC0-1.0" => "CC0-1.0",
        "GFDL-1.2" => "GFDL-1.2-only",
        "GFDL-1.2+" => "GFDL-1.2-or-later",
        "GFDL-1.3" => "GFDL-1.3-only",
        "GFDL-1.3+" => "GFDL-1.3-or-later",
        "GPL-2.0-only" | "GPL-2.0-or-later" | "GPL-3.0-only" | "GPL-3.0-or-later"
        | "LGPL-2.1-only" | "LGPL-2.1-or-later" | "0BSD" | "BSD-1-Clause" | "Unlicense"
        | "OpenSSL" | "curl" | "PSF-2.0" | "Python-2.0" | "BSL-1.0" => value,
        _ => "",
    };
    mapped.to_string()
}
