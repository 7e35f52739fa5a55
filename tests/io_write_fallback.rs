//! When no temporary folder can be made beside the output folder (here: every name it
//! could take is already a file; in use, a parent that is not writable), the set is staged
//! inside the output folder and moved in file by file, and nothing temporary remains.

use wfm::io::Staging;

#[test]
fn a_set_is_staged_inside_when_the_parent_refuses() {
    let parent = std::env::temp_dir().join(format!("wfm-fallback-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&parent);
    let dir = parent.join("out");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.csv"), "old\n").unwrap();
    std::fs::write(dir.join("b.csv"), "stale\n").unwrap();
    // This test binary's process writes no other set: its counter starts at 0.
    let blockers: Vec<_> = (0..64)
        .map(|n| parent.join(format!(".out.wfm-new-{}-{n}", std::process::id())))
        .collect();
    for b in &blockers {
        std::fs::write(b, "").unwrap();
    }
    let mut stage = Staging::begin(&dir, &["a.csv", "b.csv"], &[]).unwrap();
    stage.put("a.csv", b"new\n").unwrap();
    let staged: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".wfm-new-"))
        .collect();
    assert_eq!(staged.len(), 1, "staged inside the folder");
    assert_eq!(
        std::fs::read_to_string(dir.join("a.csv")).unwrap(),
        "old\n",
        "nothing visible before the commit"
    );
    stage.commit().unwrap();
    let mut listing: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listing.sort();
    assert_eq!(
        listing,
        ["a.csv"],
        "stale b.csv removed, nothing temporary left"
    );
    assert_eq!(std::fs::read_to_string(dir.join("a.csv")).unwrap(), "new\n");
    let _ = std::fs::remove_dir_all(&parent);
}
