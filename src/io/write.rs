//! Writing a set of output files so that it never destroys input and appears whole or not at
//! all.
//!
//! * **Inputs are never overwritten.** [`check_out_dir`] refuses an output folder in which
//!   one of the files we would write (or remove as stale) is a file the command read (the
//!   same file: compared by canonical path and, on Unix, by device and inode, so a hard link
//!   or a symbolic link to an input is caught too). Commands call it before any work, and
//!   [`Staging::begin`] calls it again.
//! * **A user's file is never replaced.** A file already at an output's place is replaced
//!   (or removed as stale) only when it begins like the file `wfm` writes there (the same
//!   first two CSV columns, our calendar's `PRODID`, the report's title, the summary's first
//!   key; [`looks_written_by_wfm`]); anything else there is an error naming it, before any
//!   work where the name tells what the file must be ([`check_out_dir`], [`check_out_file`]
//!   with the expected beginning) and at the latest before anything is moved into place.
//! * **A set appears whole or not at all.** Every file is written into a temporary folder
//!   beside the output folder (same parent, so on the same file system), flushed to disk,
//!   and only then put in place ([`Staging::commit`]):
//!   - when the output folder does not exist, or holds nothing but files of the same family
//!     (the names [`OUTPUT_FILES`] for `wfm plan` and `wfm evaluate`), the temporary folder
//!     replaces it: the old folder is renamed aside, the new one renamed in, the old one
//!     removed. Outputs of an earlier run that this run does not write (`plan.csv` after
//!     `wfm evaluate`) go with the old folder.
//!   - when it holds anything else (a file of the user's, a sub-folder, a symbolic link) or
//!     is the current directory, the user's entries stay where they are: stale outputs of
//!     our family are removed first, then each new file is renamed in (each rename is
//!     atomic; the set is not, and `docs/outputs.md` says so).
//!   - when the parent folder is not writable, the temporary folder is made inside the
//!     output folder (`.wfm-new-PID-N`), and when the output folder cannot be renamed (a
//!     mount point), the files are moved in one by one as in the case above.
//! * **Nothing temporary survives a kill.** Temporary folders are named
//!   `.NAME.wfm-new-PID-N` and `.NAME.wfm-old-PID-N` beside the output folder `NAME`; the
//!   next run for the same folder removes those of processes that are no longer running
//!   (and, inside the output folder, `.FILE.partial-PID` files of older versions and of
//!   [`write_file_atomic`]). A temporary folder is never read as output: it has another
//!   name.

mod guard;

pub use guard::{
    check_out_dir, check_out_file, check_replaces_ours, looks_written_by_wfm, same_file, InputFile,
    OUTPUT_FILES,
};

use crate::error::{Error, Result};
use guard::{check_plain, check_replaceable, head_of, shown, OUTPUT_HEADS};
use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const NEW_TAG: &str = ".wfm-new-";
const OLD_TAG: &str = ".wfm-old-";
const LEGACY_PARTIAL: &str = ".partial-";

static SEQ: AtomicU64 = AtomicU64::new(0);

/// Writes one file so that it is either the old file or the whole new one: the contents go
/// to `.NAME.partial-PID` beside it, are flushed, and are renamed over `path`. Refuses to
/// replace one of `inputs` (naming `field`).
///
/// # Errors
///
/// The errors of [`check_out_file`]; [`Error::Invalid`] naming `field` when `path` has no file
/// name; [`Error::Io`] naming `path` when the temporary file cannot be written, flushed or renamed
/// over it.
pub fn write_file_atomic(
    field: &str,
    path: &Path,
    contents: &[u8],
    inputs: &[InputFile],
) -> Result<()> {
    check_out_file(field, path, inputs)?;
    check_replaceable(
        field,
        path,
        &String::from_utf8_lossy(&contents[..contents.len().min(4096)]),
    )?;
    let name = path
        .file_name()
        .and_then(OsStr::to_str)
        .ok_or_else(|| Error::invalid(field, format!("{} is not a file name", shown(path))))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(".{name}{LEGACY_PARTIAL}");
    if let Ok(entries) = fs::read_dir(&parent) {
        for e in entries.flatten() {
            let file = e.file_name();
            let pid = file
                .to_str()
                .and_then(|f| f.strip_prefix(&prefix))
                .and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| !alive(p)) && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    let tmp = parent.join(format!("{prefix}{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        if let Ok(m) = fs::metadata(path) {
            // A replaced file keeps its permissions.
            let _ = fs::set_permissions(&tmp, m.permissions());
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(shown(path), e));
    }
    sync_dir(&parent);
    Ok(())
}

/// Flushes a folder's entries (renames) to disk where the platform allows it.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Whether process `pid` is still running. Where that cannot be told (no `/proc`), only
/// this process counts as running: leftovers are cleaned up, at the price of disturbing a
/// concurrent run into the same folder (which is documented as unsupported).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

/// The PID in a temporary name `...TAG<pid>-<n>` or `...TAG<pid>`.
fn pid_in(rest: &str) -> Option<u32> {
    rest.split('-').next().and_then(|p| p.parse().ok())
}

/// Removes the files in `dir` that are plain files, then `dir` if it is then empty.
fn remove_files_and_dir(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().map(|t| !t.is_dir()).unwrap_or(false) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    let _ = fs::remove_dir(dir);
}

/// Removes what interrupted runs for the folder `parent/name` left behind: temporary
/// folders beside it, and `.FILE.partial-PID` files and `.wfm-new-PID-N` folders inside it,
/// of processes no longer running.
fn clean_leftovers(parent: &Path, name: &str, target: &Path) {
    let prefix = format!(".{name}");
    if let Ok(entries) = fs::read_dir(parent) {
        for e in entries.flatten() {
            let file = e.file_name();
            let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
                continue;
            };
            let pid = rest
                .strip_prefix(NEW_TAG)
                .or_else(|| rest.strip_prefix(OLD_TAG))
                .and_then(pid_in);
            if pid.is_some_and(|p| !alive(p)) && e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_files_and_dir(&e.path());
            }
        }
    }
    if let Ok(entries) = fs::read_dir(target) {
        for e in entries.flatten() {
            let file = e.file_name();
            let Some(f) = file.to_str() else { continue };
            let pid = f
                .starts_with('.')
                .then(|| f.rsplit_once(LEGACY_PARTIAL))
                .flatten()
                .and_then(|(_, p)| p.parse::<u32>().ok());
            if pid.is_some_and(|p| !alive(p)) && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(e.path());
            }
            let staged = f.strip_prefix(NEW_TAG).and_then(pid_in);
            if staged.is_some_and(|p| !alive(p)) && e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_files_and_dir(&e.path());
            }
        }
    }
}

/// A set of output files being written into a temporary folder beside the output folder.
/// Dropping it without [`Staging::commit`] removes the temporary folder (and any folder
/// [`Staging::begin`] created), leaving the output folder as it was.
#[derive(Debug)]
pub struct Staging {
    given: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: PathBuf,
    family: Vec<String>,
    written: Vec<String>,
    created: Vec<PathBuf>,
    /// Whether the temporary folder is inside the output folder (its parent is not
    /// writable): then the files are always moved in one by one.
    inside: bool,
    done: bool,
}

impl Staging {
    /// Starts a set for the folder `dir`: checks it against `inputs` ([`check_out_dir`] over
    /// `family`), removes leftovers of interrupted runs and creates the temporary folder.
    /// `family` lists every file name this kind of run may write: those of them not written
    /// this time are removed as stale on commit.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `file name` when a name of `family` is not a plain file name; the
    /// errors of [`check_out_dir`] (naming `dir`); [`Error::Invalid`] naming `dir` when it is the
    /// root; [`Error::Io`] naming the folder when its path cannot be resolved or its parent or the
    /// temporary folder cannot be created.
    pub fn begin(dir: &Path, family: &[&str], inputs: &[InputFile]) -> Result<Staging> {
        for name in family {
            check_plain(name)?;
        }
        let field = shown(dir);
        check_out_dir(&field, dir, family, inputs)?;
        // An existing folder by its real path (`.`, `..`, links resolved); a new one by its
        // absolute path, its parent resolved once created.
        let absolute = if dir.exists() {
            fs::canonicalize(dir)
        } else {
            std::path::absolute(dir)
        }
        .map_err(|e| Error::io(&field, e))?;
        let (parent, name) = match (absolute.parent(), absolute.file_name()) {
            (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
            _ => {
                return Err(Error::invalid(
                    &field,
                    "must name a folder other than the root",
                ))
            }
        };
        let mut created = Vec::new();
        let mut missing = parent.as_path();
        while !missing.exists() {
            created.push(missing.to_path_buf());
            match missing.parent() {
                Some(p) => missing = p,
                None => break,
            }
        }
        fs::create_dir_all(&parent).map_err(|e| Error::io(shown(&parent), e))?;
        let parent = fs::canonicalize(&parent).map_err(|e| Error::io(shown(&parent), e))?;
        let target = parent.join(&name);
        let target = fs::canonicalize(&target).unwrap_or(target);
        let (parent, name) = match (target.parent(), target.file_name()) {
            (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
            _ => (parent, name),
        };
        clean_leftovers(&parent, &name, &target);
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!(".{name}{NEW_TAG}{}-{seq}", std::process::id()));
        let staging = Staging {
            given: dir.to_path_buf(),
            target,
            parent,
            name,
            tmp,
            family: family.iter().map(|s| s.to_string()).collect(),
            written: Vec::new(),
            created,
            inside: false,
            done: false,
        };
        let mut staging = staging;
        if let Err(e) = fs::create_dir(&staging.tmp) {
            // The parent is not writable (a mount point, a folder owned by someone else):
            // stage inside the output folder instead and move the files in one by one.
            if !staging.target.is_dir() {
                return Err(Error::io(shown(&staging.tmp), e));
            }
            staging.tmp = staging
                .target
                .join(format!("{NEW_TAG}{}-{seq}", std::process::id()));
            staging.inside = true;
            fs::create_dir(&staging.tmp).map_err(|e| Error::io(shown(&staging.tmp), e))?;
        }
        Ok(staging)
    }

    /// The output folder's final path (absolute).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes file `name` (a plain name of the family) into the temporary folder through
    /// `fill`, and flushes it to disk.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `file name` when `name` is not a plain file name; [`Error::Io`]
    /// naming the file (in the output folder) when it cannot be created, or `fill`, the flush or
    /// the sync fails.
    pub fn put_with(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        check_plain(name)?;
        if !self.family.iter().any(|f| f == name) {
            self.family.push(name.to_string());
        }
        let path = self.tmp.join(name);
        let final_name = shown(&self.given.join(name));
        let file = fs::File::create(&path).map_err(|e| Error::io(&final_name, e))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        let result = fill(&mut w)
            .and_then(|_| w.flush())
            .and_then(|_| w.get_ref().sync_all());
        result.map_err(|e| Error::io(&final_name, e))?;
        self.written.push(name.to_string());
        Ok(())
    }

    /// Writes file `name` with `contents` (see [`Staging::put_with`]).
    ///
    /// # Errors
    ///
    /// The errors of [`Staging::put_with`].
    pub fn put(&mut self, name: &str, contents: &[u8]) -> Result<()> {
        self.put_with(name, |w| w.write_all(contents))
    }

    /// Whether the folder can be replaced as a whole: missing, or a real folder (not the
    /// current directory) holding only plain files of the family.
    fn replaceable(&self) -> bool {
        let Ok(meta) = fs::symlink_metadata(&self.target) else {
            return true;
        };
        if !meta.is_dir() {
            return false;
        }
        if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize) {
            if cwd.starts_with(&self.target) {
                return false;
            }
        }
        let Ok(entries) = fs::read_dir(&self.target) else {
            return false;
        };
        entries.into_iter().all(|e| {
            e.ok().is_some_and(|e| {
                e.file_type().is_ok_and(|t| t.is_file())
                    && e.file_name().to_str().is_some_and(|n| {
                        self.family.iter().any(|f| f == n)
                            && (self.written.iter().any(|w| w == n) || self.stale_is_ours(n))
                    })
            })
        })
    }

    /// Whether the file `name` of the family, which this run does not write, may be removed
    /// as stale: one of [`OUTPUT_FILES`] only when it begins like ours; any other name of
    /// the family (a library user's own set) as the family says.
    fn stale_is_ours(&self, name: &str) -> bool {
        match OUTPUT_HEADS.iter().find(|(n, _)| *n == name) {
            Some((_, ours)) => {
                head_of(&self.target.join(name)).is_none_or(|h| looks_written_by_wfm(&h, ours))
            }
            None => true,
        }
    }

    /// Puts the set in place (see the module docs) and returns the paths written, in the
    /// order they were put.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the folder or a file when the set cannot be moved into place: a rename
    /// fails, an output name is taken by a folder, or a stale file of the family cannot be removed.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        sync_dir(&self.tmp);
        let folder = shown(&self.given);
        // Nothing of the user's is replaced: every file found at one of our places must
        // begin like the file we put there.
        for name in &self.written {
            if let Some(ours) = head_of(&self.tmp.join(name)) {
                check_replaceable(&folder, &self.target.join(name), &ours)?;
            }
        }
        if !self.target.exists() {
            fs::rename(&self.tmp, &self.target).map_err(|e| Error::io(&folder, e))?;
        } else if !self.inside && self.replaceable() {
            let seq = SEQ.fetch_add(1, Ordering::Relaxed);
            let old = self.parent.join(format!(
                ".{}{OLD_TAG}{}-{seq}",
                self.name,
                std::process::id()
            ));
            // The new folder takes the old one's permissions (a shared, group-writable
            // folder stays so).
            if let Ok(m) = fs::metadata(&self.target) {
                let _ = fs::set_permissions(&self.tmp, m.permissions());
            }
            if fs::rename(&self.target, &old).is_ok() {
                if let Err(e) = fs::rename(&self.tmp, &self.target) {
                    // Put the old folder back; the temporary one is removed on drop.
                    let _ = fs::rename(&old, &self.target);
                    return Err(Error::io(&folder, e));
                }
                sync_dir(&self.parent);
                self.retire(&old);
            } else {
                // The folder cannot be moved (a mount point, say): file by file.
                self.move_in()?;
            }
        } else {
            self.move_in()?;
        }
        sync_dir(&self.parent);
        self.done = true;
        Ok(self.written.iter().map(|n| self.given.join(n)).collect())
    }

    /// Puts the files into the existing output folder one by one: stale outputs of the
    /// family first removed, then each new file renamed in.
    fn move_in(&self) -> Result<()> {
        for name in &self.written {
            if self.target.join(name).is_dir() {
                return Err(Error::io(
                    shown(&self.given.join(name)),
                    std::io::Error::other("is a folder; cannot replace it with a file"),
                ));
            }
        }
        for stale in self.family.iter().filter(|f| !self.written.contains(f)) {
            let path = self.target.join(stale);
            // A file of the user's under one of our names stays.
            if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) && self.stale_is_ours(stale) {
                fs::remove_file(&path).map_err(|e| Error::io(shown(&self.given.join(stale)), e))?;
            }
        }
        for name in &self.written {
            let to = self.target.join(name);
            fs::rename(self.tmp.join(name), &to)
                .map_err(|e| Error::io(shown(&self.given.join(name)), e))?;
        }
        sync_dir(&self.target);
        let _ = fs::remove_dir(&self.tmp);
        Ok(())
    }

    /// Removes the replaced folder `old`: its files of the family are deleted; anything
    /// else (a file added while we wrote) is moved back into the output folder.
    fn retire(&self, old: &Path) {
        if let Ok(entries) = fs::read_dir(old) {
            for e in entries.flatten() {
                let name = e.file_name();
                let ours = name
                    .to_str()
                    .is_some_and(|n| self.family.iter().any(|f| f == n));
                let to = self.target.join(&name);
                if ours || to.exists() {
                    let _ = fs::remove_file(e.path());
                } else {
                    let _ = fs::rename(e.path(), &to);
                }
            }
        }
        let _ = fs::remove_dir(old);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        remove_files_and_dir(&self.tmp);
        for dir in &self.created {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Writes `(name, contents)` files into `dir` as one set (see the module docs): the family
/// is `family` (plus the names given), and none of `inputs` may be overwritten.
///
/// # Errors
///
/// [`Error::Invalid`] naming `file name` when a name is not a plain file name; the errors of
/// [`Staging::begin`], [`Staging::put`] and [`Staging::commit`].
pub fn write_set(
    dir: &Path,
    files: &[(&str, String)],
    family: &[&str],
    inputs: &[InputFile],
) -> Result<Vec<PathBuf>> {
    for (name, _) in files {
        check_plain(name)?;
    }
    let mut stage = Staging::begin(dir, family, inputs)?;
    for (name, contents) in files {
        stage.put(name, contents.as_bytes())?;
    }
    stage.commit()
}
