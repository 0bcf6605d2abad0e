pub mod blocks;
pub mod interactions;
pub mod methods;

pub use methods::*;
