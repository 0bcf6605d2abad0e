//! The IR stage: the validated, sorted model that "will become" code, every Rust name already
//! resolved and every wire name kept beside it. One file per kind; [`common`] holds the typed
//! fields they share.

use std::collections::BTreeSet;

pub mod blocks;
pub mod common;
pub mod events;
pub mod interactions;
pub mod methods;
pub mod objects;

pub use common::{EnumType, FieldIr, JsonKind, OneOfType};
pub use methods::{Arg, ArgGroup, ErrorVariant, Family, Method, Pagination, is_idempotent};
pub use objects::{Object, ObjectKind};

use crate::spec::load::SpecErrors;
use crate::spec::methods::LoadedSpec;

/// The whole IR: what one run of the generator emits.
#[derive(Debug, Clone)]
pub struct Api {
    pub common_errors: Vec<ErrorVariant>,
    /// Sorted by module name.
    pub families: Vec<Family>,
    /// Shared objects, sorted by name.
    pub objects: Vec<Object>,
    /// Block Kit (`spec/blocks/`).
    pub kit: blocks::Kit,
    /// Events and message subtypes (`spec/events/`).
    pub events: events::EventsIr,
    /// Interactivity payloads (`spec/interactions/`).
    pub interactions: interactions::InteractionsIr,
}

impl Api {
    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.families.iter().flat_map(|f| &f.methods)
    }

    /// Every wire name marked `secret` on an argument, a response field, an object field, an
    /// event field or an interaction field, sorted and without repeats.
    pub fn secret_names(&self) -> Vec<String> {
        let mut names = BTreeSet::new();
        for m in self.methods() {
            names.extend(m.args.iter().filter(|a| a.secret).map(|a| a.wire_name.clone()));
            for f in m.response.iter().flatten().filter(|f| f.secret) {
                names.insert(f.wire_name.clone());
            }
        }
        for o in &self.objects {
            if let ObjectKind::Struct(fields) = &o.kind {
                names.extend(fields.iter().filter(|f| f.secret).map(|f| f.wire_name.clone()));
            }
        }
        // Payloads Slack sends: events and interactions carry credentials too
        // (`bot_access_token`, an interactor's `secret`).
        let events = self.events.events.iter().chain(&self.events.subtypes).flat_map(|e| &e.fields);
        let events = events.chain(self.events.envelope.iter().flat_map(|t| &t.fields));
        let interactions = self.interactions.types.iter().flat_map(|t| t.fields());
        for f in events.chain(interactions).filter(|f| f.secret) {
            names.insert(f.wire_name.clone());
        }
        names.into_iter().collect()
    }
}

/// Validates a loaded spec and resolves it into the IR. Reports every problem found, each at its
/// place in its file.
pub fn build(spec: &LoadedSpec) -> Result<Api, SpecErrors> {
    build_with_kit(spec, blocks::Kit::default())
}

/// [`build`], with Block Kit: object fields may name its types (`array<block>`).
pub fn build_with_kit(spec: &LoadedSpec, kit: blocks::Kit) -> Result<Api, SpecErrors> {
    let mut errors = Vec::new();
    let (common_src, common) = &spec.common;
    let common_errors = methods::error_variants(common_src, "errors", &common.errors, &mut errors);
    let mut object_names: BTreeSet<&str> = spec.objects.iter().map(|(_, o)| o.name.as_str()).collect();
    object_names.extend(kit.types.iter().map(|t| t.name.as_str()));
    let objects = objects::build(&spec.objects, &object_names, &mut errors);
    let families = methods::families(&spec.methods, &object_names, &mut errors);
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    Ok(Api { common_errors, families, objects, kit, events: Default::default(), interactions: Default::default() })
}
