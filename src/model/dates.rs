//! The partial-date rule: sources and attributes are dated `yyyy`, `yyyy-mm` or
//! `yyyy-mm-dd`, and a partial date stands for the whole period it names.

/// True for `yyyy`, `yyyy-mm` and `yyyy-mm-dd` with a real month and day.
pub fn is_partial_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse::<u32>().ok())?
    };
    let Some(year) = parts.first().and_then(|part| number(part, 4)) else {
        return false;
    };
    let month = match parts.get(1) {
        None => return parts.len() == 1,
        Some(part) => match number(part, 2) {
            Some(month @ 1..=12) => month,
            _ => return false,
        },
    };
    match parts.get(2) {
        None => parts.len() == 2,
        Some(part) => {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            parts.len() == 3 && number(part, 2).is_some_and(|day| (1..=days).contains(&day))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_are_checked() {
        for good in ["2021", "2021-03", "2021-03-14", "2024-02-29"] {
            assert!(is_partial_date(good), "{good}");
        }
        for bad in ["21", "2021-3", "2021-13", "2023-02-29", "14/03/2021", "2021-03-14T10:00", "2021-04-31"] {
            assert!(!is_partial_date(bad), "{bad}");
        }
    }
}
