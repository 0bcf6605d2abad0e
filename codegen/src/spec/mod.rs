pub mod events;
pub mod load;
pub mod methods;

pub use methods::*;
