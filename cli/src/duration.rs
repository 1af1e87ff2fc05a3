//! Human durations on the command line (`30d`, `12h`, `1w2d`) and the API's duration text (`"2592000s"`).

use std::time::Duration;

/// Parses `30d`, `12h`, `90m`, `45s`, `2w` and sums such as `1d12h`: whole numbers, each with
/// one of the units w, d, h, m, s.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("an empty duration; write it as 30d, 12h, 90m, 45s or 2w".to_owned());
    }
    let mut seconds: u64 = 0;
    let mut digits = String::new();
    for character in text.chars() {
        if character.is_ascii_digit() {
            digits.push(character);
            continue;
        }
        let unit: u64 = match character {
            'w' => 7 * 24 * 3600,
            'd' => 24 * 3600,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            other => return Err(format!("{other:?} is not a unit in {text:?}; use w, d, h, m or s, as in 30d")),
        };
        if digits.is_empty() {
            return Err(format!("a unit without a number in {text:?}; write it as 30d or 1d12h"));
        }
        let count: u64 = digits.parse().map_err(|_| format!("{text:?} is too long a duration"))?;
        digits.clear();
        seconds = count
            .checked_mul(unit)
            .and_then(|part| seconds.checked_add(part))
            .ok_or_else(|| format!("{text:?} is too long a duration"))?;
    }
    if !digits.is_empty() {
        return Err(format!("{text:?} ends without a unit; write 30d, not 30"));
    }
    if seconds == 0 {
        return Err(format!("{text:?} is no time at all"));
    }
    Ok(Duration::from_secs(seconds))
}

/// The API's (protobuf JSON) duration text: whole seconds and an `s`.
pub fn to_api(duration: Duration) -> String {
    format!("{}s", duration.as_secs())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{parse, to_api};

    #[test]
    fn human_durations_become_the_apis_seconds() {
        assert_eq!(parse("30d").map(to_api).as_deref(), Ok("2592000s"));
        assert_eq!(parse("1d12h").map(to_api).as_deref(), Ok("129600s"));
        assert_eq!(parse("2w").map(to_api).as_deref(), Ok("1209600s"));
        assert_eq!(parse(" 90m "), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("3600s"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn malformed_durations_say_how_to_write_them() {
        for (text, expected) in [
            ("", "empty"),
            ("30", "without a unit"),
            ("d", "without a number"),
            ("3y", "not a unit"),
            ("0d", "no time"),
            ("99999999999999999999w", "too long"),
        ] {
            let message = parse(text).expect_err(text);
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
