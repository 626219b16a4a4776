//! Facts about asyncio, trio, anyio and libraries, kept as data.

pub mod coroutines;
