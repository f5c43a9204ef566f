//! Shannon entropy of a candidate secret.

/// Bits of entropy per byte of `s`, from its byte frequencies. Random base64 of 40
/// characters scores about 5; English words and repeated characters score far lower.
pub fn shannon_entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let len = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_and_repeated() {
        assert_eq!(shannon_entropy(b""), 0.0);
        assert_eq!(shannon_entropy(b"aaaaaaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy(b"9Xk2Lm4Qp7Rt1Vw3Yz6Bn8Cd0Fg5Hj") > 4.5);
        assert!(shannon_entropy(b"passwordpassword") < 3.0);
    }
}
