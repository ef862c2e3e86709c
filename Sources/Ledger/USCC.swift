/// The 统一社会信用代码 (unified social credit code) and its check digits.
///
/// 18 characters from `0123456789ABCDEFGHJKLMNPQRTUWXY`: registration authority (1), kind (1),
/// issuing area (6 digits), organisation code (9, GB 11714 with its own check digit), and a
/// GB 32100-2015 check character over the first 17.
public enum USCC {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let organisationWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Why a code is not valid, or nil when it is (in English; ``reason(_:)`` has both languages).
    public static func problem(_ code: String) -> String? { reason(code)?.english }

    /// Why a code is not valid, or nil when it is.
    public static func reason(_ code: String) -> Reason? {
        let characters = Array(code)
        guard characters.count == 18 else { return .usccLength(characters.count) }
        for (offset, character) in characters.enumerated() where !alphabet.contains(character) {
            return .usccCharacter(position: offset + 1, character)
        }
        guard characters[2..<8].allSatisfy(\.isASCII) && characters[2..<8].allSatisfy(\.isNumber) else {
            return .usccArea
        }
        let expected = checkCharacter(String(characters[0..<17]))!
        guard characters[17] == expected else {
            return .usccCheckDigit(characters[17], expected: expected)
        }
        let organisationBody = String(characters[8..<16])
        let organisationExpected = organisationCheckCharacter(organisationBody)!
        guard characters[16] == organisationExpected else {
            return .usccOrganisationCheckDigit(characters[16], expected: organisationExpected)
        }
        return nil
    }

    /// The GB 32100-2015 check character for 17 characters of the alphabet.
    public static func checkCharacter(_ first17: String) -> Character? {
        let characters = Array(first17)
        guard characters.count == 17 else { return nil }
        var sum = 0
        for (offset, character) in characters.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            sum += value * weights[offset]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The GB 11714 check character for the 8-character body of an organisation code.
    public static func organisationCheckCharacter(_ body: String) -> Character? {
        let characters = Array(body)
        guard characters.count == 8 else { return nil }
        var sum = 0
        for (offset, character) in characters.enumerated() {
            guard let value = organisationValue(character) else { return nil }
            sum += value * organisationWeights[offset]
        }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let digit: return Character(String(digit))
        }
    }

    /// Digits count as themselves, capitals A–Z as 10–35.
    private static func organisationValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case 48...57: return Int(ascii) - 48
        case 65...90: return Int(ascii) - 65 + 10
        default: return nil
        }
    }
}
