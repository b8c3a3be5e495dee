//! `/etc/system-release-cpe`: the one-line CPE that CentOS 6 ships instead of an os-release.

use plimsoll_model::Distro;

use super::simple_release;
use super::text::{decode, go_lowercase};

const CPE_PREFIX: &str = "cpe:/o:";

/// Reads a release from a CPE 2.2 name such as `cpe:/o:centos:linux:6:GA`: the vendor is the
/// name and ID, the part after the product is the version, and the whole text from `cpe:/o:`
/// is the CPE.
///
/// As in Syft, the CPE must sit on the file's last line and run to the very end of the file (a
/// trailing newline defeats it), and needs a colon after the version (`cpe:/o:centos:linux:6`
/// alone is not enough).
pub(super) fn parse_system_release_cpe(bytes: &[u8]) -> Option<Distro> {
    let text = decode(bytes);
    let last_line = text.rsplit('\n').next().unwrap_or_default();

    // Later occurrences of the prefix have fewer parts after them, so the first one decides.
    let start = last_line.find(CPE_PREFIX)?;
    let cpe = &last_line[start..];
    let mut parts = cpe[CPE_PREFIX.len()..].split(':');
    let (vendor, _product, version, _rest) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);

    Some(simple_release(vendor, go_lowercase(vendor), version, cpe))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<(String, String, String, String)> {
        parse_system_release_cpe(text.as_bytes()).map(|distro| {
            (
                distro.pretty_name,
                distro.id,
                distro.version_id,
                distro.cpe_name,
            )
        })
    }

    fn release(
        pretty: &str,
        id: &str,
        version: &str,
        cpe: &str,
    ) -> Option<(String, String, String, String)> {
        Some((pretty.into(), id.into(), version.into(), cpe.into()))
    }

    #[test]
    fn reads_centos_6() {
        let distro = parse_system_release_cpe(b"cpe:/o:centos:linux:6:GA").unwrap();
        assert_eq!(distro.pretty_name, "centos");
        assert_eq!(distro.name, "centos");
        assert_eq!(distro.id, "centos");
        assert_eq!(distro.id_like, ["centos"]);
        assert_eq!(distro.version, "6");
        assert_eq!(distro.version_id, "6");
        assert_eq!(distro.cpe_name, "cpe:/o:centos:linux:6:GA");
    }

    #[test]
    fn follows_syft_on_odd_input() {
        let cases = [
            (
                "cpe:/o:CentOS:linux:6:GA",
                release("CentOS", "centos", "6", "cpe:/o:CentOS:linux:6:GA"),
            ),
            (
                "cpe:/o:redhat:enterprise_linux:6server:ga:server",
                release(
                    "redhat",
                    "redhat",
                    "6server",
                    "cpe:/o:redhat:enterprise_linux:6server:ga:server",
                ),
            ),
            (
                "junk\nsee cpe:/o:a:b:c:d",
                release("a", "a", "c", "cpe:/o:a:b:c:d"),
            ),
            (
                "cpe:/o:a:b:c\ncpe:/o:x:y:z:w",
                release("x", "x", "z", "cpe:/o:x:y:z:w"),
            ),
            (
                "cpe:/o:a:b:c:d\r",
                release("a", "a", "c", "cpe:/o:a:b:c:d\r"),
            ),
            ("cpe:/o::::", release("", "", "", "cpe:/o::::")),
            ("cpe:/o:centos:linux:6:GA\n", None),
            ("cpe:/o:centos:6:GA", None),
            ("cpe:/o:centos:linux:6", None),
            ("cpe:/a:centos:linux:6:GA", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "{text:?}");
        }
    }
}
