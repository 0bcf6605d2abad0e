//! Where the generated files go: the model's and the methods crates' generated directories, the
//! method families with a crate of their own, and the tests' dispatch file.

/// Where the generated data types live (common errors, objects, Block Kit, events,
/// interactions), relative to the repository root.
pub const GENERATED_DIR: &str = "slack-api-model/src/generated";
/// Where the generated method families live.
pub const METHODS_DIR: &str = "slack-api-methods/src/generated";
/// Method families compiled as a crate of their own: (module, generated directory, crate).
/// `admin.*` is a third of all method code and few apps call it: apart, it compiles beside the
/// other families on a second core, and a build without the `admin` feature skips the crate.
/// slack-api's feature for such a family turns on the optional dependency.
pub const OWN_CRATE_FAMILIES: [(&str, &str, &str); 1] = [("admin", "slack-api-admin/src/generated", "slack-api-admin")];

/// The crate of a family listed in [`OWN_CRATE_FAMILIES`].
pub fn own_crate(module: &str) -> Option<&'static str> {
    OWN_CRATE_FAMILIES.iter().find(|(m, _, _)| *m == module).map(|(_, _, krate)| *krate)
}

/// The test support's dispatch by method name, generated beside the hand-written test support.
pub const DISPATCH: &str = "tests/src/generated/dispatch.rs";

/// Where the test kit's generated Web API lives (decoders and routes).
pub const TESTKIT_SRC_DIR: &str = "slack-api-testkit/src/generated";
/// Where the test kit's generated test support lives (a call of every method).
pub const TESTKIT_TESTS_DIR: &str = "slack-api-testkit/tests/generated";

/// Every directory the generator owns (a file in one that it does not write is orphaned).
pub fn generated_dirs() -> Vec<&'static str> {
    let mut dirs = vec![GENERATED_DIR, METHODS_DIR, "tests/src/generated", TESTKIT_SRC_DIR, TESTKIT_TESTS_DIR];
    dirs.extend(OWN_CRATE_FAMILIES.map(|(_, dir, _)| dir));
    dirs
}
