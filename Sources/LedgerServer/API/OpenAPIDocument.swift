import Accounts
import Ledger
import Statistics

/// The OpenAPI 3.1 description of the JSON API, served at `/api/openapi.json`.
///
/// Kept true by `OpenAPITests`: every registered route is described and every described route is
/// registered; each operation's documented responses include what the service answers to the
/// example requests; and each response body holds the properties its schema requires.
enum OpenAPIDocument {
    /// The stream categories staff record over the API, and the event types allowed in them.
    static let streamPattern = pattern(StreamCategory.allCases.filter(\.isRecordedByStaff))
    /// Any stream, as read: the ledger's own categories too.
    static let anyStreamPattern = pattern(StreamCategory.allCases)
    static func pattern(_ categories: [StreamCategory]) -> String {
        "^(" + categories.map(\.rawValue).joined(separator: "|") + ")-[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
    }
    /// The days ``StatisticsRequest/askableDays`` admits, as a pattern (with `format: date`).
    static let datePattern = "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
    /// A text that is not blank as the service reads it (`FormFields.text`: Foundation's white
    /// space and new lines, which is ECMA's `\s` less U+FEFF, plus U+0085), written for JSON.
    static let nonBlankPattern = #"[^\\s\\u0085]|\\ufeff"#
    /// The keys of the statistics object, from the one list of figures.
    static let statisticsKeys = quotedList(Statistics.jsonKeys)
    /// Every reason's stable code (the catalogue, ``Reason``).
    static let reasonCodes = quotedList(Array(Set(Reason.catalogue.map(\.code))).sorted())
    /// The statistics object's properties, from the one list of figures: each figure's type and label.
    static let statisticsProperties: String = {
        let zero = Statistics(request: StatisticsRequest(from: StatisticsRequest.policyStart, to: StatisticsRequest.policyStart), position: 0)
        var members: [(key: String, schema: String)] = []
        var groups: [String: [(key: String, schema: String)]] = [:]
        for figure in Statistics.figures {
            let description = "\"description\": \"\(figure.labelWithUnit)\""
            let schema = switch figure.value(zero) {
            case .integer: "{\"type\": \"integer\", \(description)}"
            case .percent: "{\"type\": [\"number\", \"null\"], \(description)}"
            case .day: "{\"type\": \"string\", \"format\": \"date\", \(description)}"
            case .districts, .whitelists: "{\"type\": \"array\", \(description)}"
            case .parts(let parts): "{\"type\": \"object\", \"required\": [\(quotedList(Self.topKeys(parts)))], \(description)}"
            }
            let parts = figure.key.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                if groups[parts[0]] == nil { members.append((parts[0], "")) }
                groups[parts[0], default: []].append((parts[1], schema))
            } else {
                members.append((figure.key, schema))
            }
        }
        return members.map { key, schema in
            guard let inner = groups[key] else { return "\"\(key)\": \(schema)" }
            let properties = inner.map { "\"\($0.key)\": \($0.schema)" }.joined(separator: ", ")
            return "\"\(key)\": {\"type\": \"object\", \"required\": [\(quotedList(inner.map(\.key)))], \"properties\": {\(properties)}}"
        }.joined(separator: ",\n              ")
    }()
    static let obligationKinds = quotedList(Obligation.Kind.allCases.map(\.rawValue))
    static let roles = quotedList(Role.allCases.map(\.rawValue))
    static func quotedList(_ items: [String]) -> String { items.map { "\"\($0)\"" }.joined(separator: ", ") }
    /// A parts figure's own keys, its dotted parts (`by_channel.letter`) counted once by group.
    static func topKeys(_ parts: [Figure.Part]) -> [String] {
        parts.map { String($0.key.split(separator: ".").first ?? "") }.reduce(into: []) { keys, key in if !keys.contains(key) { keys.append(key) } }
    }
    static let eventTypes = EventType.allCases.filter { type in
        !type.isWrittenByLedgerOnly && StreamCategory.allCases.contains { $0.isRecordedByStaff && type.isAllowed(in: $0) }
    }
        .map { "\"\($0.rawValue)\"" }.joined(separator: ", ")

    /// The document for a service whose configured districts are `districts`.
    static func text(districts: [String]) -> String {
        let districtNames = districts.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Enforcement ledger API",
        "version": "1.0.0",
        "description": "The event-sourced ledger of enforcement actions against off-campus training institutions (SPEC.md). Sign in with POST /api/session and send the token as `Authorization: Bearer <token>`. Roles: inspector (append for their own district; read its timelines and figures), analyst (figures, replies), auditor (timelines, verify, digest, figures, replies), admin (users). A refused request appends nothing. Errors are JSON objects with `error` (a code) and `message` (a reason a person can act on)."
      },
      "servers": [{"url": "/"}],
      "security": [{"bearer": []}, {"cookie": []}],
      "paths": {
        "/api/health": {
          "get": {
            "summary": "Whether the service and its database answer, and the ledger's head position.",
            "security": [],
            "responses": {
              "200": {"description": "Up.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/openapi.json": {
          "get": {
            "summary": "This document.",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document.", "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}}}}
          }
        },
        "/api/session": {
          "post": {
            "summary": "Sign in: a bearer token for the user.",
            "description": "Failed sign-ins of one account (5 in 15 minutes) and sign-ins from one client address (20 a minute) are limited: past them the answer is 429 with Retry-After, whatever the password. A user holds at most 10 sessions; signing in again ends the oldest.",
            "security": [],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}},
            "responses": {
              "201": {"description": "Signed in.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"$ref": "#/components/responses/BeyondLimits"},
              "429": {"$ref": "#/components/responses/TooManyRequests"}
            }
          },
          "get": {
            "summary": "Who is signed in.",
            "responses": {
              "200": {"description": "The signed-in user.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
              "401": {"$ref": "#/components/responses/Unauthenticated"}
            }
          },
          "delete": {
            "summary": "Sign out: the token stops working.",
            "security": [{}, {"bearer": []}, {"cookie": []}],
            "responses": {"204": {"description": "Signed out (or was not signed in)."}}
          }
        },
        "/api/events": {
          "post": {
            "summary": "Append one event (an object) or a batch (an array), all or nothing.",
            "description": "The SPEC §2 envelope. `actor` is the signed-in user: leave it out; naming anyone else is refused with 403. Inspectors of a district may append only to institutions, operations and bulletins of that district. An id already recorded with the same content is an idempotent retry (200, nothing appended). At most 10,000 events and 8 MiB per request; one event at most 1 MiB.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"oneOf": [
              {"$ref": "#/components/schemas/Event"},
              {"type": "array", "minItems": 1, "maxItems": 10000, "items": {"$ref": "#/components/schemas/Event"}}
            ]}}}},
            "responses": {
              "201": {"description": "Appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AppendResult"}}}},
              "200": {"description": "Every event was already recorded with the same content: nothing appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AppendResult"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"description": "An expected_version no longer holds: nothing appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"description": "Events were rejected (each with its item number, id, fields and reasons): nothing appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/api/stats": {
          "get": {
            "summary": "The figures of SPEC §4 for a period (and district).",
            "description": "An inspector of a district gets that district's figures; asking for another district is refused.",
            "parameters": [
              {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
              {"$ref": "#/components/parameters/district"}, {"$ref": "#/components/parameters/baseline"},
              {"$ref": "#/components/parameters/at_position"},
              {"name": "by", "in": "query", "schema": {"type": "string", "enum": ["month"]}, "description": "month: a row per month of the period (operations, 检查机构家次, violations, fines, the compression rate at each month's end), each month's figures those of its days."},
              {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}
            ],
            "responses": {
              "200": {"description": "The figures (or, by month, the monthly series).", "content": {
                "application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/Statistics"}, {"$ref": "#/components/schemas/MonthlySeries"}]}},
                "text/csv": {"schema": {"type": "string"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/BeyondHead"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/deadlines": {
          "get": {
            "summary": "Every open obligation on a day, most urgent first (SPEC §8).",
            "description": "Due days are computed on the working-day calendar the ledger holds; a year without one gives due_on null. An inspector of a district gets that district's; asking for another district is refused.",
            "parameters": [
              {"name": "on", "in": "query", "schema": {"$ref": "#/components/schemas/Day"}, "description": "The day; default today."},
              {"$ref": "#/components/parameters/district"},
              {"name": "kind", "in": "query", "schema": {"type": "string", "enum": [\#(obligationKinds)]}},
              {"$ref": "#/components/parameters/at_position"}
            ],
            "responses": {
              "200": {"description": "The open obligations.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Obligation"}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/BeyondHead"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/draws/{key}": {
          "get": {
            "summary": "A random inspection (SPEC §11) as anyone may re-run it: plan, pool, beacon, seed, targets and which are inspected.",
            "description": "The body is what ops/verify-draw takes.",
            "parameters": [{"$ref": "#/components/parameters/drawKey"}],
            "responses": {
              "200": {"description": "The draw.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          }
        },
        "/api/draws/{key}/verify": {
          "get": {
            "summary": "The recorded draw recomputed from the ledger: verified, or the first difference.",
            "parameters": [{"$ref": "#/components/parameters/drawKey"}],
            "responses": {
              "200": {"description": "The verdict.", "content": {"application/json": {"schema": {"type": "object", "required": ["draw", "verified", "difference", "verifiable", "seed"], "properties": {"draw": {"type": "string"}, "verified": {"type": "boolean"}, "difference": {"type": ["string", "null"]}, "verifiable": {"type": ["boolean", "null"]}, "seed": {"type": "string"}}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          }
        },
        "/api/draws/{key}/perform": {
          "post": {
            "summary": "Draw a plan with a beacon, and record the draw (DrawPerformed).",
            "description": "The targets and inspectors are computed from the plan, its pool and the beacon; nobody chooses them. Inspectors of the plan's district, or city-wide ones, may draw. Plans are recorded as DrawPlanned events (POST /api/events).",
            "parameters": [{"$ref": "#/components/parameters/drawKey"}],
            "requestBody": {"required": true, "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/DrawRequest"}},
              "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/DrawRequest"}}
            }},
            "responses": {
              "201": {"description": "Drawn and recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "409": {"description": "Drawn by someone else meanwhile: nothing appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"description": "The draw was refused (drawn already, a beacon not after the plan, too few inspectors): nothing appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/api/complaints/{key}": {
          "get": {
            "summary": "A complaint (SPEC §12): what was received, each step's due day and whether it was met, and whether it has a reporter (encrypted, erased or none), never who.",
            "parameters": [{"$ref": "#/components/parameters/complaintKey"}],
            "responses": {
              "200": {"description": "The complaint.", "content": {"application/json": {"schema": {"type": "object", "required": ["stream", "received_on", "district", "received", "reporter", "finding", "steps"], "properties": {"stream": {"type": "string"}, "received_on": {"type": "string", "format": "date"}, "district": {"type": ["string", "null"]}, "received": {"type": "object"}, "reporter": {"type": "string", "enum": ["encrypted", "erased", "none"]}, "finding": {"type": ["string", "null"]}, "steps": {"type": "array", "items": {"type": "object"}}}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          }
        },
        "/api/complaints/{key}/reporter": {
          "post": {
            "summary": "Read a complaint's reporter in clear (complaint officers only); the reading is recorded first as ReporterViewed, with the reason.",
            "parameters": [{"$ref": "#/components/parameters/complaintKey"}],
            "requestBody": {"required": true, "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/ReasonRequest"}},
              "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/ReasonRequest"}}
            }},
            "responses": {
              "200": {"description": "The reporter ({name, phone?, id_number?}), or \"erased\" or \"none\".", "content": {"application/json": {"schema": {"type": "object", "required": ["reporter"], "properties": {"reporter": {"type": ["object", "string"]}}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"description": "The reading was refused: nothing appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "503": {"description": "The service has no master key (LEDGER_MASTER_KEY_FILE), or not this ledger's.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/api/complaints/{key}/forget": {
          "post": {
            "summary": "Erase a complaint's reporter for good (PersonalDataErased): its key is destroyed; no event is deleted, and verify and the figures stay unchanged.",
            "parameters": [{"$ref": "#/components/parameters/complaintKey"}],
            "requestBody": {"required": true, "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/ReasonRequest"}},
              "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/ReasonRequest"}}
            }},
            "responses": {
              "201": {"description": "Erased.", "content": {"application/json": {"schema": {"type": "object", "required": ["complaint", "reporter"], "properties": {"complaint": {"type": "string"}, "reporter": {"type": "string"}}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"description": "Refused (no reporter, or erased already): nothing appended.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "503": {"description": "The service has no master key (LEDGER_MASTER_KEY_FILE).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/public/data/blacklist.json": {
          "get": {
            "summary": "The black list today (SPEC §13): one row per listing.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["key", "name", "district", "since", "until", "reason"], "properties": {"key": {"type": "string"}, "name": {"type": "string"}, "district": {"type": "string"}, "since": {"type": "string", "format": "date"}, "until": {"type": ["string", "null"]}, "reason": {"type": "string"}}}}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/data/blacklist.csv": {
          "get": {
            "summary": "The black list today as CSV: key,name,district,since,until,reason.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"text/csv": {"schema": {"type": "string"}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/data/penalties.json": {
          "get": {
            "summary": "Penalty decisions shown today (行政处罚公示, SPEC §13): 36 months, none revoked or changed, no warning alone, no person's name.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["decision_no", "key", "name", "uscc", "violation", "fine_fen", "confiscated_fen", "decided_on"], "properties": {"decision_no": {"type": "string"}, "key": {"type": "string"}, "name": {"type": "string"}, "uscc": {"type": ["string", "null"]}, "violation": {"type": ["string", "null"]}, "fine_fen": {"type": "integer"}, "confiscated_fen": {"type": "integer"}, "decided_on": {"type": "string", "format": "date"}}}}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/data/penalties.csv": {
          "get": {
            "summary": "The same as CSV: decision_no,key,name,uscc,violation,fine_fen,confiscated_fen,decided_on.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"text/csv": {"schema": {"type": "string"}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/data/whitelists.json": {
          "get": {
            "summary": "White lists today: one row per institution and list, with its courses.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["key", "name", "district", "list", "courses"], "properties": {"key": {"type": "string"}, "name": {"type": "string"}, "district": {"type": "string"}, "list": {"type": "string"}, "courses": {"type": "array", "items": {"type": "object", "required": ["name", "specialty"]}}}}}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/data/figures.json": {
          "get": {
            "summary": "The figures of SPEC §4 since 双减, of the city and of each district.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/json": {"schema": {"type": "object", "required": ["city", "districts"], "properties": {"city": {"type": "object"}, "districts": {"type": "object"}}}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/data/draws.json": {
          "get": {
            "summary": "Random inspections (SPEC §11): each plan, when it was drawn and its results published.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["key", "planned_on", "district", "drawn_on", "results_published_on", "data"], "properties": {"key": {"type": "string"}, "planned_on": {"type": "string"}, "district": {"type": "string"}, "drawn_on": {"type": ["string", "null"]}, "results_published_on": {"type": ["string", "null"]}, "data": {"type": "string"}}}}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/data/draws/{key}": {
          "get": {
            "summary": "One draw as ops/verify-draw takes it: plan, pool, beacon, and the targets recorded.",
            "security": [],
            "parameters": [{"$ref": "#/components/parameters/drawKey"}],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/json": {"schema": {"type": "object", "required": ["draw", "plan_id", "pool", "pool_size"]}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          }
        },
        "/public/data/bulletins.json": {
          "get": {
            "summary": "Bulletins, with the institutions each names.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["key", "title", "district", "published_on", "exposed"], "properties": {"key": {"type": "string"}, "title": {"type": "string"}, "district": {"type": "string"}, "published_on": {"type": "string"}, "exposed": {"type": "array", "items": {"type": "object", "required": ["key", "name"]}}}}}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/public/feed.atom": {
          "get": {
            "summary": "An Atom feed (RFC 4287) of the latest 50 publications.",
            "security": [],
            "responses": {
              "200": {"description": "The data as of today, from the read models; ETag and Cache-Control: public, max-age=60.", "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
              "304": {"description": "Not modified: the If-None-Match given is the current ETag."}
            }
          }
        },
        "/api/streams/{stream}/history": {
          "get": {
            "summary": "Every event of a stream in version order, voided ones marked (SPEC §6).",
            "parameters": [{"name": "stream", "in": "path", "required": true, "schema": {"type": "string", "pattern": "\#(anyStreamPattern)"}, "example": "institution-91320402MA1XXXXXXX"}],
            "responses": {
              "200": {"description": "The history.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/HistoryEntry"}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          }
        },
        "/api/verify": {
          "get": {
            "summary": "Recompute every hash chain (or one stream's).",
            "parameters": [{"name": "stream", "in": "query", "schema": {"type": "string", "pattern": "\#(anyStreamPattern)"}}],
            "responses": {
              "200": {"description": "The report; `ok` is false when a chain is broken.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VerifyReport"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"}
            }
          }
        },
        "/api/digest": {
          "get": {
            "summary": "The position and a digest over all chains, to keep outside the system.",
            "parameters": [{"$ref": "#/components/parameters/at_position"}],
            "responses": {
              "200": {"description": "The digest.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Digest"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"}
            }
          }
        },
        "/api/reply": {
          "parameters": [
            {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
            {"$ref": "#/components/parameters/district"}, {"$ref": "#/components/parameters/baseline"},
            {"$ref": "#/components/parameters/at_position"}, {"$ref": "#/components/parameters/format"},
            {"name": "proposal", "in": "query", "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}, "description": "The council proposal (its key) the reply answers: it heads the reply and gives the district (leave district out). Unknown: 404."}
          ],
          "get": {
            "summary": "The enforcement section of a council reply (SPEC §5), shown, not recorded.",
            "responses": {
              "200": {"$ref": "#/components/responses/Reply"},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/BeyondHead"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "post": {
            "summary": "Produce a council reply and record it in the ledger as produced by the signed-in user; the X-Ledger-Reply header names the record.",
            "description": "The parameters come in the query string, a form, or a JSON object (strings, and at_position a whole number). The same reply produced again on the same day by the same user in the same format is the same record.",
            "requestBody": {"required": false, "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/ReplyRequest"}},
              "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/ReplyRequest"}}
            }},
            "responses": {
              "200": {"$ref": "#/components/responses/Reply"},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/BeyondHead"},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"$ref": "#/components/responses/BeyondLimits"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/users": {
          "get": {
            "summary": "Every user (admin).",
            "responses": {
              "200": {"description": "The users.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"}
            }
          },
          "post": {
            "summary": "Add a user (admin).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewUser"}}}},
            "responses": {
              "201": {"description": "Added.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"description": "A user of that name exists already.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"description": "The user cannot be added (the field and reason say why): a name with spaces or over 64 characters, a password under 8 characters or over 72 bytes, a district that does not fit the role.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/api/users/{name}/disable": {
          "post": {
            "summary": "Disable a user and end their sessions (admin). Users are never deleted: the ledger names them.",
            "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "Disabled.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthenticated"},
              "403": {"description": "Not an admin, or the admin's own name: another admin disables an admin.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "404": {"description": "No such user.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        }
      },
      "components": {
        "parameters": {
          "from": {"name": "from", "in": "query", "schema": {"$ref": "#/components/schemas/Day"}, "description": "First day, 1900-01-01 … 2099-12-31; default 2021-07-24."},
          "to": {"name": "to", "in": "query", "schema": {"$ref": "#/components/schemas/Day"}, "description": "Last day, inclusive, 1900-01-01 … 2099-12-31; default today."},
          "district": {"name": "district", "in": "query", "schema": {"$ref": "#/components/schemas/District"}, "description": "A configured district; absent for the whole city."},
          "baseline": {"name": "baseline", "in": "query", "schema": {"$ref": "#/components/schemas/Day"}, "description": "Compression baseline day; default 2021-07-24."},
          "at_position": {"name": "at_position", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 9223372036854775807}, "description": "The ledger as it stood at this position; not beyond the head (400)."},
          "format": {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["text", "markdown", "docx"], "default": "text"}},
          "complaintKey": {"name": "key", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}, "example": "12345-20261130-001"},
          "drawKey": {"name": "key", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}, "example": "TN-2026A"}
        },
        "securitySchemes": {
          "bearer": {"type": "http", "scheme": "bearer"},
          "cookie": {"type": "apiKey", "in": "cookie", "name": "ledger_session"}
        },
        "responses": {
          "BadRequest": {"description": "The request is malformed (not JSON, a wrong type, a bad parameter).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Unauthenticated": {"description": "Nobody is signed in, or the sign-in failed.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Forbidden": {"description": "The user's role or district does not allow it; nothing was changed.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "NotFound": {"description": "No such thing.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "TooLarge": {"description": "The body is over 8 MiB, or the batch over 10,000 events.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "BeyondLimits": {"description": "Well-formed JSON beyond what the ledger takes: an integer beyond 64 bits.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "BeyondHead": {"description": "at_position is beyond the ledger's head: the ledger has no such state yet.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Unavailable": {"description": "The database is unreachable or refuses writes, or the read models are being rebuilt; try again.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "TooManyRequests": {"description": "Too many sign-in attempts for the account or from the address; wait as Retry-After says.", "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Reply": {
            "description": "The reply.",
            "headers": {"X-Ledger-Reply": {"schema": {"type": "string"}, "description": "The record's stream (POST only)."}},
            "content": {
              "text/plain": {"schema": {"type": "string"}},
              "text/markdown": {"schema": {"type": "string"}},
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"schema": {"type": "string", "format": "binary"}}
            }
          }
        },
        "schemas": {
          "Error": {
            "type": "object", "required": ["error", "message"],
            "properties": {
              "error": {"type": "string", "description": "bad_request, unauthenticated, forbidden, not_found, conflict, invalid, too_large, unavailable, internal"},
              "message": {"type": "string"},
              "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
              "rejected": {"type": "integer"},
              "rejections": {"type": "array", "items": {
                "type": "object", "required": ["problems", "message"],
                "properties": {"item": {"type": "integer", "description": "1-based, in a batch"}, "id": {"type": "string"}, "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}, "message": {"type": "string"}}
              }}
            }
          },
          "Day": {"type": "string", "format": "date", "pattern": "\#(datePattern)", "description": "A day from 1900-01-01 to 2099-12-31."},
          "District": {"type": "string", "enum": [\#(districtNames)]},
          "ReplyRequest": {
            "type": "object", "additionalProperties": false,
            "properties": {"from": {"$ref": "#/components/schemas/Day"}, "to": {"$ref": "#/components/schemas/Day"}, "district": {"$ref": "#/components/schemas/District"}, "baseline": {"$ref": "#/components/schemas/Day"}, "at_position": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 9223372036854775807}, "format": {"type": "string", "enum": ["text", "markdown", "docx"]}, "proposal": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}}
          },
          "Problem": {"type": "object", "required": ["field", "reason", "code"], "properties": {"field": {"type": "string"},
            "reason": {"type": "string", "description": "What is wrong, for a person: in Chinese when the request's Accept-Language prefers zh, else in English."},
            "code": {"type": "string", "description": "What is wrong, for a program: stable across languages and releases.", "enum": [\#(reasonCodes)]}}},
          "Health": {"type": "object", "required": ["status", "position"], "properties": {"status": {"type": "string"}, "position": {"type": "integer"}}},
          "Credentials": {"type": "object", "required": ["name", "password"], "additionalProperties": false, "properties": {"name": {"type": "string"}, "password": {"type": "string"}}},
          "Session": {"type": "object", "required": ["token", "expires_at", "user"], "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}, "user": {"$ref": "#/components/schemas/User"}}},
          "User": {
            "type": "object", "required": ["name", "role", "district", "created_at", "created_by", "disabled"],
            "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": [\#(roles)]}, "district": {"type": ["string", "null"]}, "created_at": {"type": "string"}, "created_by": {"type": "string"}, "disabled": {"type": "boolean"}}
          },
          "NewUser": {
            "type": "object", "required": ["name", "password", "role"], "additionalProperties": false,
            "properties": {"name": {"type": "string", "maxLength": 64}, "password": {"type": "string", "minLength": 8, "description": "At most 72 bytes in UTF-8."}, "role": {"type": "string", "enum": [\#(roles)]}, "district": {"$ref": "#/components/schemas/District", "description": "Required for an inspector unless city_wide."}, "city_wide": {"type": "boolean"}}
          },
          "Event": {
            "type": "object", "required": ["id", "stream", "type", "occurred_on", "data"], "additionalProperties": false,
            "properties": {
              "id": {"type": "string", "format": "uuid"},
              "stream": {"type": "string", "pattern": "\#(streamPattern)"},
              "type": {"type": "string", "enum": [\#(eventTypes)]},
              "occurred_on": {"type": "string", "format": "date"},
              "actor": {"type": "string", "description": "The signed-in user; leave it out."},
              "expected_version": {"type": "integer", "minimum": 0},
              "data": {"type": "object"}
            }
          },
          "AppendResult": {
            "type": "object", "required": ["appended", "duplicates", "events"],
            "properties": {
              "appended": {"type": "integer"}, "duplicates": {"type": "integer"},
              "events": {"type": "array", "items": {"type": "object", "required": ["id", "stream", "version", "position"], "properties": {"id": {"type": "string"}, "stream": {"type": "string"}, "version": {"type": "integer"}, "position": {"type": "integer"}}}}
            }
          },
          "MonthlySeries": {
            "type": "object", "required": ["from", "to", "district", "baseline", "position", "months"],
            "properties": {
              "from": {"$ref": "#/components/schemas/Day"}, "to": {"$ref": "#/components/schemas/Day"},
              "district": {"type": ["string", "null"]}, "baseline": {"$ref": "#/components/schemas/Day"}, "position": {"type": "integer"},
              "months": {"type": "array", "items": {"type": "object", "required": ["month", "from", "to", "operations", "institution_inspections", "violations", "fines_fen", "fines_wan_yuan", "compression_rate_percent"],
                "properties": {"month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "from": {"$ref": "#/components/schemas/Day"}, "to": {"$ref": "#/components/schemas/Day"},
                  "operations": {"type": "integer"}, "institution_inspections": {"type": "integer"}, "violations": {"type": "integer"},
                  "fines_fen": {"type": "integer"}, "fines_wan_yuan": {"type": "number"}, "compression_rate_percent": {"type": ["number", "null"]}}}}
            }
          },
          "Statistics": {
            "type": "object",
            "required": [\#(statisticsKeys)],
            "properties": {
              \#(statisticsProperties),
              "position": {"type": "integer"}
            }
          },
          "HistoryEntry": {
            "type": "object", "required": ["position", "version", "id", "type", "occurred_on", "recorded_at", "actor", "data", "hash", "voided", "voided_by"],
            "properties": {"position": {"type": "integer"}, "version": {"type": "integer"}, "id": {"type": "string"}, "type": {"type": "string"}, "occurred_on": {"type": "string"}, "recorded_at": {"type": "string"}, "actor": {"type": "string"}, "data": {"type": "object"}, "hash": {"type": "string"}, "voided": {"type": "boolean"}, "voided_by": {"type": ["string", "null"]}, "reporter": {"type": "string", "enum": ["encrypted", "erased"], "description": "On a complaint's receipt with a reporter: encrypted, or erased once its key is destroyed (SPEC §12)."}}
          },
          "VerifyReport": {
            "type": "object", "required": ["ok", "events_checked", "streams_checked", "breaks"],
            "properties": {"ok": {"type": "boolean"}, "events_checked": {"type": "integer"}, "streams_checked": {"type": "integer"}, "breaks": {"type": "array", "items": {"type": "object", "required": ["position", "stream", "version", "id", "reason"]}}}
          },
          "Obligation": {
            "type": "object", "required": ["kind", "stream", "due_on", "working_days_left", "overdue", "district", "label"],
            "properties": {"kind": {"type": "string", "enum": [\#(obligationKinds)]}, "stream": {"type": "string"}, "due_on": {"type": ["string", "null"], "format": "date"}, "working_days_left": {"type": ["integer", "null"]}, "overdue": {"type": "boolean"}, "district": {"type": ["string", "null"]}, "label": {"type": "string"}}
          },
          "ReasonRequest": {
            "type": "object", "required": ["reason"], "additionalProperties": false,
            "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 4000, "pattern": "\#(nonBlankPattern)"}}
          },
          "DrawRequest": {
            "type": "object", "required": ["beacon", "beacon_date"], "additionalProperties": false,
            "properties": {"beacon": {"type": "string", "minLength": 1, "maxLength": 256, "pattern": "\#(nonBlankPattern)"}, "beacon_date": {"$ref": "#/components/schemas/Day"}, "occurred_on": {"$ref": "#/components/schemas/Day"}}
          },
          "Draw": {
            "type": "object", "required": ["draw", "plan_id", "planned_on", "district", "matters", "inspectors", "per_target", "recusals", "window", "pool", "pool_size", "verifiable"],
            "properties": {
              "draw": {"type": "string"}, "plan_id": {"type": "string", "format": "uuid"}, "planned_on": {"type": "string", "format": "date"},
              "district": {"type": ["string", "null"]}, "matters": {"type": "array", "items": {"type": "string"}},
              "count": {"type": "integer"}, "ratio_percent": {"type": "integer"},
              "inspectors": {"type": "array", "items": {"type": "string"}}, "per_target": {"type": "integer"},
              "recusals": {"type": "array", "items": {"type": "object", "required": ["inspector", "institution"], "properties": {"inspector": {"type": "string"}, "institution": {"type": "string"}}}},
              "window": {"type": "object", "required": ["from", "to"], "properties": {"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}}},
              "pool": {"type": "array", "items": {"type": "string"}}, "pool_size": {"type": "integer"},
              "beacon": {"type": "string"}, "beacon_date": {"type": "string", "format": "date"}, "seed": {"type": "string"},
              "targets": {"type": "array", "items": {"type": "object", "required": ["institution", "inspectors", "inspected"], "properties": {"institution": {"type": "string"}, "inspectors": {"type": "array", "items": {"type": "string"}}, "inspected": {"type": "boolean"}}}},
              "verifiable": {"type": ["boolean", "null"]}
            }
          },
          "Digest": {
            "type": "object", "required": ["position", "streams", "events", "digest"],
            "properties": {"position": {"type": "integer"}, "streams": {"type": "integer"}, "events": {"type": "integer"}, "digest": {"type": "string"}}
          }
        }
      }
    }
    """#
    }
}
