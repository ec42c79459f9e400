#pragma once
/// @brief `comptoir-central export registrations`: registrations and call-backs as CSV for French
/// spreadsheets or JSON, contact details opened with the office key when given (docs/privacy.md).

#include "comptoir/sync/central.hpp"
#include "comptoir/sync/office_key.hpp"

#include <cstddef>
#include <ostream>

namespace comptoir::sync::central {

enum class ExportFormat { Csv, Json };

/// What became of each record's contact details.
struct ExportCounts {
    std::size_t records = 0;
    std::size_t opened = 0;     ///< opened with an office key
    std::size_t sealed = 0;     ///< left sealed: no office key given
    std::size_t kioskOnly = 0;  ///< sealed to none of the office keys given (kiosk without one, or older)
    std::size_t erased = 0;     ///< erased at the visitor's request
    std::size_t unreadable = 0; ///< names an office key given but does not open: altered
};

/// Writes every record of `storage` to `out`. CSV: UTF-8 with a BOM, ';' between cells, CRLF,
/// formula-looking cells neutralised. `keys` may be null: contact details then stay sealed
/// (base64 in `personal_sealed`). Opens on a few threads; never writes a secret key.
ExportCounts exportRecords(CentralStorage& storage, std::ostream& out, ExportFormat format,
                           const OfficeKeys* keys);

} // namespace comptoir::sync::central
