//! In-process baselines on the same machine: raw argon2id hashes per second (the cost floor
//! of a password sign-in) and the CPU time of one RS256 signature with aws-lc-rs on every
//! core (the cost floor of an RS256 token).

use argon2::{Algorithm, Argon2, Params, Version};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use std::time::{Duration, Instant};

/// argon2id m=19456 KiB, t=2, p=1 (OWASP's minimum), hashed on `threads` threads for
/// `duration`; answers hashes per second.
pub fn argon2id_rate(threads: usize, duration: Duration) -> Result<f64, String> {
    let params = Params::new(19_456, 2, 1, Some(32)).map_err(|e| e.to_string())?;
    let began = Instant::now();
    let counts = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
                    let mut out = [0u8; 32];
                    let mut n = 0u64;
                    while began.elapsed() < duration {
                        argon
                            .hash_password_into(
                                b"correct horse battery staple",
                                b"sixteen byte salt",
                                &mut out,
                            )
                            .ok()?;
                        n += 1;
                    }
                    Some(n)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().ok().flatten())
            .collect::<Option<Vec<u64>>>()
    });
    let total: u64 = counts.ok_or("argon2id failed")?.iter().sum();
    Ok(total as f64 / began.elapsed().as_secs_f64())
}

/// [`argon2id_rate`] on every core, as the server may use.
pub fn argon2id_all_cores(duration: Duration) -> Result<f64, String> {
    argon2id_rate(
        std::thread::available_parallelism().map_or(2, usize::from),
        duration,
    )
}

/// CPU seconds of one RS256 (2048-bit) signature of a token-sized input, signing on
/// every core at once as a loaded server does (all-core clock speeds are lower than one
/// core's): total thread CPU time over total signatures (10 ms ticks: run it for a
/// second or more).
pub fn rs256_sign_seconds(duration: Duration) -> Result<f64, String> {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let key = KeyPair::generate(KeySize::Rsa2048).map_err(|e| e.to_string())?;
    let began = Instant::now();
    let per_thread = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let rng = SystemRandom::new();
                    let message = [b'x'; 400];
                    let mut signature = vec![0u8; key.public_modulus_len()];
                    let cpu = thread_cpu();
                    let mut n = 0u32;
                    while began.elapsed() < duration {
                        key.sign(&RSA_PKCS1_SHA256, &rng, &message, &mut signature)
                            .ok()?;
                        n += 1;
                    }
                    Some((thread_cpu() - cpu, n))
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().ok().flatten())
            .collect::<Option<Vec<(f64, u32)>>>()
    });
    let per_thread = per_thread.ok_or("RS256 signing failed")?;
    let cpu: f64 = per_thread.iter().map(|(cpu, _)| cpu).sum();
    let signatures: u32 = per_thread.iter().map(|(_, n)| n).sum();
    Ok(cpu / f64::from(signatures.max(1)))
}

fn thread_cpu() -> f64 {
    crate::proc::cpu_seconds("/proc/thread-self/stat")
}
