//! Header tag numbers, as rpm's `rpmtag.h` assigns them; only the tags this crate reads.

pub(super) const NAME: u32 = 1000;
pub(super) const VERSION: u32 = 1001;
pub(super) const RELEASE: u32 = 1002;
pub(super) const EPOCH: u32 = 1003;
pub(super) const SIZE: u32 = 1009;
pub(super) const VENDOR: u32 = 1011;
pub(super) const LICENSE: u32 = 1014;
pub(super) const ARCH: u32 = 1022;
pub(super) const OLDFILENAMES: u32 = 1027;
pub(super) const FILESIZES: u32 = 1028;
pub(super) const FILEMODES: u32 = 1030;
pub(super) const FILEDIGESTS: u32 = 1035;
pub(super) const FILEFLAGS: u32 = 1037;
pub(super) const FILEUSERNAME: u32 = 1039;
pub(super) const FILEGROUPNAME: u32 = 1040;
pub(super) const SOURCERPM: u32 = 1044;
pub(super) const PROVIDENAME: u32 = 1047;
pub(super) const REQUIRENAME: u32 = 1049;
pub(super) const DIRINDEXES: u32 = 1116;
pub(super) const BASENAMES: u32 = 1117;
pub(super) const DIRNAMES: u32 = 1118;
pub(super) const LONGFILESIZES: u32 = 5008;
pub(super) const LONGSIZE: u32 = 5009;
pub(super) const FILEDIGESTALGO: u32 = 5011;
pub(super) const MODULARITYLABEL: u32 = 5096;
