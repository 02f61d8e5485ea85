// The searchable fields, facets and entity types, as the API declares them (GET /api/fields, built from
// the server's field registry): the filters, their labels, the entity chips and the query help all come
// from there, so a field added on the server shows here without a change to this code.
import { get } from "./api.js";
import { lang } from "./i18n.js";

export const FACETS = [];          // facet keys, in the order the filters are shown
export const ENTITY_FACETS = [];   // facets over entity names: many values, searchable by prefix
export const TYPE_TO_FACET = {};   // entity type (entity_summary) -> the facet that filters by it
export const ENTITY_TYPES = [];    // every entity type, in the order a document's entities are shown
const byKey = new Map();
const byEntity = new Map();

export async function loadFields() {
  const fields = await get("fields");
  for (const field of fields) {
    byKey.set(field.key, field);
    if (field.facet) FACETS.push(field.key);
    if (field.entity) {
      byEntity.set(field.entity, field);
      ENTITY_TYPES.push(field.entity);
      if (field.facet) {
        ENTITY_FACETS.push(field.key);
        TYPE_TO_FACET[field.entity] = field.key;
      }
    }
  }
}

function labelOf(field, fallback) {
  return field ? field.labels[lang()] || field.labels.es || fallback : fallback;
}

// A field's name in the interface's language ("Personas"); the key itself for a field it does not know.
export function fieldLabel(key) { return labelOf(byKey.get(key), key); }

// The label of an entity type ("per" -> "Personas").
export function entityLabel(type) { return labelOf(byEntity.get(type), type); }

// The names the query language takes (court, type, year, person, ...), for the search help.
export function queryNames() { return [...byKey.values()].map((f) => f.query).filter(Boolean); }
