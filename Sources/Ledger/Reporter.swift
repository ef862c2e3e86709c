import EventStore

/// The person who made a complaint or report (举报人): personal data the ledger keeps only
/// encrypted (SPEC §12). No message, log line or page ever shows its values; problems with it
/// name the field alone.
public struct Reporter: Sendable, Equatable {
    public var name: String
    public var phone: String?
    /// 居民身份证号码 (GB 11643).
    public var idNumber: String?

    public init(name: String, phone: String? = nil, idNumber: String? = nil) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
    }

    /// The object as submitted, and as it is encrypted.
    public var json: JSON {
        var members: [String: JSON] = ["name": .string(name)]
        if let phone { members["phone"] = .string(phone) }
        if let idNumber { members["id_number"] = .string(idNumber) }
        return .object(members)
    }

    /// The texts that identify the reporter, which nothing else in the event may repeat.
    var identifiers: [String] {
        [name].filter { $0.count >= 2 } + [phone.map(Self.digits), idNumber].compactMap { $0 }.filter { $0.count >= 6 }
    }

    static func digits(_ text: String) -> String { String(text.filter(\.isASCII).filter(\.isNumber)) }

    /// Reads `reporter` in clear; every problem names the field, never its value.
    static func read(_ reader: inout FieldReader) -> Reporter? {
        var f = reader
        let name = f.string("name", maximumLength: 64)
        let phone = f.string("phone", required: false, maximumLength: 32)
        if let phone, !isPhone(phone) {
            f.problem("phone", .notPhone)
        }
        let idNumber = f.string("id_number", required: false, maximumLength: 32)
        if let idNumber, let problem = IDNumber.problem(idNumber) { f.problem("id_number", problem) }
        f.finish()
        reader = f
        guard let name, f.problems.isEmpty else { return nil }
        return Reporter(name: name, phone: phone, idNumber: idNumber)
    }

    static func isPhone(_ text: String) -> Bool {
        let allowed = text.allSatisfy { $0.isASCII && ($0.isNumber || "+- ".contains($0)) }
        return allowed && (7...20).contains(digits(text).count)
    }

    /// Reads the decrypted object back.
    public init?(json: JSON) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.init(name: name, phone: json["phone"]?.stringValue, idNumber: json["id_number"]?.stringValue)
    }
}

/// The 18-character 公民身份号码 (GB 11643-1999): 17 digits and a check character (0–9 or X).
public enum IDNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checks = Array("10X98765432")

    /// Why `text` is not a valid number, without repeating any of it; nil when it is valid.
    public static func problem(_ text: String) -> Reason? {
        let characters = Array(text)
        guard characters.count == 18, characters[0..<17].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .idNumberForm
        }
        guard characters[17] == checkCharacter(String(characters[0..<17])) else {
            return .idNumberCheckDigit
        }
        return nil
    }

    /// The check character for the first 17 digits.
    public static func checkCharacter(_ body: String) -> Character {
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return checks[sum % 11]
    }
}

extension EventPayload {
    /// 收到投诉举报 (SPEC §12).
    public struct ComplaintReceived: Sendable, Equatable {
        /// The reporter as submitted, or as the ledger holds it: sealed (encrypted), the key
        /// perhaps destroyed since.
        public enum ReporterData: Sendable, Equatable {
            case clear(Reporter)
            case sealed(ciphertext: String)
        }

        public var channel: ComplaintChannel
        public var district: String
        /// The registered institution complained about, or else the unregistered venue.
        public var institution: String?
        public var venue: Venue?
        public var summary: String
        public var reporter: ReporterData?
        public var anonymous: Bool
    }

    /// An unregistered venue (`{name, address}`).
    public struct Venue: Sendable, Equatable {
        public var name: String
        public var address: String
    }

    static func decodeComplaint(_ type: EventType, _ r: inout FieldReader, _ configuration: LedgerConfiguration) -> EventPayload? {
        switch type {
        case .complaintReceived:
            let channel: ComplaintChannel? = r.choice("channel")
            let district = r.district("district", of: configuration)
            var institution: String?, venue: Venue?
            switch (r.has("institution"), r.has("venue")) {
            case (true, false):
                institution = r.string("institution", maximumLength: 64)
                if let key = institution, !StreamName.isValidKey(key) {
                    r.problem("institution", .notInstitutionKeyText(String(key.prefix(40))))
                    institution = nil
                }
            case (false, true):
                if var f = r.object("venue") {
                    let name = f.string("name", maximumLength: FieldReader.maximumNameLength), address = f.string("address")
                    f.finish()
                    r.adopt(f.problems)
                    if let name, let address { venue = Venue(name: name, address: address) }
                }
            default:
                r.problem("", .institutionOrVenue)
            }
            let summary = r.string("summary")
            let anonymous = r.bool("anonymous")
            var reporter: ComplaintReceived.ReporterData?
            if var f = r.object("reporter", required: false) {
                if f.has("ciphertext") {
                    if let sealed = f.string("ciphertext", maximumLength: 4_000) { reporter = .sealed(ciphertext: sealed) }
                    f.finish()
                } else if let clear = Reporter.read(&f) {
                    reporter = .clear(clear)
                }
                r.adopt(f.problems)
                if anonymous == true {
                    r.problem("reporter", .reporterButAnonymous)
                }
            }
            if case .clear(let clear)? = reporter, let summary,
               clear.identifiers.contains(where: { summary.contains($0) || Reporter.digits(summary).contains($0) }) {
                r.problem("summary", .summaryRepeatsReporter)
            }
            guard let channel, let district, let summary, let anonymous, institution != nil || venue != nil,
                  r.problems.isEmpty else { return nil }
            return .complaintReceived(.init(
                channel: channel, district: district ?? "", institution: institution, venue: venue, summary: summary,
                reporter: reporter, anonymous: anonymous))
        case .complaintAccepted:
            return .complaintAccepted
        case .complaintDeclined:
            return r.string("reason").map { .complaintDeclined(reason: $0) }
        case .complaintExtended:
            return r.string("reason").map { .complaintExtended(reason: $0) }
        case .complaintVerified:
            let finding: ComplaintFinding? = r.choice("finding")
            var keys: [String: String] = [:]
            for field in ["operation", "case"] where r.has(field) {
                guard let key = r.string(field, maximumLength: 64) else { continue }
                guard StreamName.isValidKey(key) else {
                    r.problem(field, .notStreamKey(String(key.prefix(40))))
                    continue
                }
                keys[field] = key
            }
            for field in ["operation", "case"] where !r.has(field) { r.known(field) }
            guard let finding, r.problems.isEmpty else { return nil }
            return .complaintVerified(finding: finding, operation: keys["operation"], caseKey: keys["case"])
        case .complaintAnswered:
            return r.string("summary").map { .complaintAnswered(summary: $0) }
        case .personalDataErased:
            return r.string("reason").map { .personalDataErased(reason: $0) }
        case .reporterViewed:
            return r.string("reason").map { .reporterViewed(reason: $0) }
        default:
            return nil
        }
    }
}
