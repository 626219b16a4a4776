//! Facts about asyncio, trio, anyio and libraries, kept as data.

pub mod asyncio;
pub mod blocking;
pub mod coroutines;
pub mod types;
