"""The API described as an OpenAPI 3.1 document (``/api/openapi.json``), and read by its docs page (``/api``).

The parameters of ``/api/search`` are ``search.params.API_PARAMS``, described here one by one: a
test checks that the two lists agree, so the document cannot fall behind what the API accepts.
"""
from __future__ import annotations

from search import settings
from search.engine.contract import SORTS
from search.names.variants import REASONS

ERROR = {"$ref": "#/components/responses/Error"}
DATE = ("YYYY, YYYY-MM ou YYYY-MM-DD ; ou une date française : juillet 2016, 15 juillet 2016, 15/07/2016. "
        "Un rapport compte quand sa période touche l’intervalle.")


def _param(name: str, description: str, schema: dict, many: bool = False, required: bool = False,
           where: str = "query") -> dict:
    out = {"name": name, "in": where, "description": description, "required": required,
           "schema": {"type": "array", "items": schema} if many else schema}
    if many:
        out |= {"style": "form", "explode": True}
    return out


def search_parameters() -> list[dict]:
    text = {"type": "string"}
    return [
        _param("q", "La requête : mots, \"graphie exacte\", OR, -mot ou NOT mot, préfixe*. Vide : tous les rapports.",
               text),
        _param("source", "Garder cette source (répétable ; une source fusionnée garde tous ses noms).",
               {"type": "string", "maxLength": settings.get("max_param_chars")}, many=True),
        _param("from", "Depuis cette date : " + DATE, text),
        _param("to", "Jusqu’à cette date : " + DATE, text),
        _param("undated", "Seulement les rapports sans date (1, true, oui ; 0, false, non). Exclut from et to.",
               {"type": "string", "enum": ["1", "0", "true", "false", "on", "off", "oui", "non", "yes", "no"]}),
        _param("sort", "Ordre : pertinence, plus récents d’abord, plus anciens d’abord (les sans date en dernier).",
               {"type": "string", "enum": list(SORTS), "default": "relevance"}),
        _param("page", "Page de résultats.", {"type": "integer", "minimum": 1, "maximum": settings.get("max_page"),
                                              "default": 1}),
        _param("per_page", "Résultats par page.", {"type": "integer", "minimum": 1,
                                                   "maximum": settings.get("max_per_page"),
                                                   "default": settings.get("per_page")}),
        _param("sans", "Une graphie d’un nom à retirer de ses variantes (répétable).", text, many=True),
        _param("avec", "Une graphie écartée à ajouter aux variantes d’un nom (répétable).", text, many=True),
    ]


def _steer_parameters() -> list[dict]:
    return [p for p in search_parameters() if p["name"] in ("q", "sans", "avec")]


SCHEMAS: dict = {
    "Error": {"type": "object", "required": ["error", "param"], "properties": {
        "error": {"type": "string", "description": "Ce qui ne va pas, en français."},
        "param": {"type": ["string", "null"], "description": "Le paramètre en cause, s’il y en a un."}}},
    "Hit": {"type": "object", "required": ["id", "title", "date", "date_precision", "source", "score", "snippet",
                                           "matched"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"},
        "date": {"type": ["string", "null"], "format": "date", "description": "Premier jour de la période du rapport."},
        "date_precision": {"type": ["string", "null"], "enum": ["year", "month", "day", None]},
        "source": {"type": ["string", "null"]},
        "score": {"type": ["number", "null"], "description": "Null quand le tri est par date."},
        "snippet": {"type": "string", "description": "HTML : le texte échappé, avec <mark> autour des correspondances."},
        "matched": {"type": "array", "items": {"type": "string"}}}},
    "Variant": {"type": "object", "required": ["spelling", "reports", "score", "accepted"], "properties": {
        "spelling": {"type": "string"}, "reports": {"type": "integer"}, "score": {"type": "number"},
        "accepted": {"type": "boolean"},
        "reason": {"type": ["string", "null"], "enum": [*REASONS, None],
                   "description": "Pourquoi une graphie proche a été écartée au-delà de ses lettres : « contexte », "
                                  "les rapports qui l'écrivent parlent d'autre chose que ceux de la graphie tapée ; "
                                  "« table », la table des exonymes la donne à un autre nom (requête en écriture "
                                  "arabe ou hébraïque) ; « graphie », trop peu de rapports l'écrivent pour en juger "
                                  "le contexte, et ce n'est pas une graphie du nom le plus écrit que la requête "
                                  "désigne (requête en écriture arabe ou hébraïque). Null sinon."}}},
    "Name": {"type": "object", "required": ["name", "variants"], "properties": {
        "name": {"type": "string", "description": "Un nom de la requête, tel que tapé."},
        "variants": {"type": "array", "items": {"$ref": "#/components/schemas/Variant"},
                     "description": "Ses graphies : acceptées d’abord, puis les proches écartées."}}},
    "SearchResult": {"type": "object", "required": ["query", "total", "page", "per_page", "hits", "facets", "notices",
                                                    "variants", "names"], "properties": {
        "query": {"type": "string"}, "total": {"type": "integer"}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {"type": "object", "required": ["source", "month", "undated"], "properties": {
            "source": {"type": "object", "additionalProperties": {"type": "integer"}},
            "month": {"type": "object", "additionalProperties": {"type": "integer"}},
            "undated": {"type": "integer"}}},
        "notices": {"type": "array", "items": {"type": "string"}},
        "variants": {"type": "array", "items": {"$ref": "#/components/schemas/Variant"},
                     "description": "Les graphies de tous les noms, chacune une fois."},
        "names": {"type": "array", "items": {"$ref": "#/components/schemas/Name"},
                  "description": "Une liste de graphies par nom de la requête."}}},
    "Report": {"type": "object", "required": ["id", "title", "date", "date_precision", "source", "source_written",
                                              "file", "text", "permalink", "length", "text_url", "matches_in",
                                              "matches"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"},
        "date": {"type": ["string", "null"], "format": "date"},
        "date_precision": {"type": ["string", "null"], "enum": ["year", "month", "day", None]},
        "source": {"type": ["string", "null"], "description": "Le nom affiché (après fusion des sources)."},
        "source_written": {"type": ["string", "null"], "description": "La source telle que le rapport l’écrit."},
        "file": {"type": ["string", "null"], "description": "Le fichier (et l’enregistrement) d’où il a été lu."},
        "text": {"type": "string", "description": "Le texte ; d’un rapport plus long que sa partie cherchable "
                 "(2 000 000 de caractères), cette partie."},
        "permalink": {"type": "string"},
        "length": {"type": "integer", "description": "La longueur du texte entier, en caractères."},
        "text_url": {"type": "string", "description": "Le texte entier, en texte brut."},
        "matches_in": {"type": "integer", "description": "Les caractères de text où les correspondances sont cherchées."},
        "matches": {"type": "array", "description": "Les correspondances de q dans le texte (vide sans q).",
                    "items": {"type": "object", "required": ["start", "end", "text"], "properties": {
                        "start": {"type": "integer"}, "end": {"type": "integer"}, "text": {"type": "string"}}}}}},
    "Suggestions": {"type": "object", "required": ["query", "fragment", "suggestions"], "properties": {
        "query": {"type": "string"},
        "fragment": {"type": "string", "description": "La fin de la requête que chaque nom complète et remplace."},
        "suggestions": {"type": "array", "items": {"type": "object", "required": ["name", "reports"], "properties": {
            "name": {"type": "string"}, "reports": {"type": "integer"}}}}}},
}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Revue de presse", "version": "1",
                 "description": "Chercher dans les revues de presse sous toute graphie d’un nom. Toutes les réponses "
                                "sont en JSON ; une erreur a toujours la forme {\"error\", \"param\"}. Un paramètre "
                                "inconnu est refusé (400) avec la liste des paramètres connus."},
        "paths": {
            "/api/search": {"get": {
                "operationId": "search", "summary": "Chercher",
                "description": "Une page de résultats, les facettes (comptées sur toutes les correspondances, chacune "
                               "sans son propre filtre) et les graphies du nom.",
                "parameters": search_parameters(),
                "responses": {"200": _ok("SearchResult", "Les résultats."), "400": ERROR}}},
            "/api/reports/{id}": {"get": {
                "operationId": "report", "summary": "Un rapport",
                "description": "Le rapport entier ; avec q (et sans, avec), les correspondances de la recherche dans son texte.",
                "parameters": [_param("id", "L’identifiant du rapport.", {"type": "string"}, required=True,
                                      where="path")] + _steer_parameters(),
                "responses": {"200": _ok("Report", "Le rapport."), "400": ERROR, "404": ERROR}}},
            "/api/suggest": {"get": {
                "operationId": "suggest", "summary": "Compléter un nom",
                "description": "Les noms que les rapports écrivent et qui commencent comme la fin de q (casse et "
                               "accents à part), les plus cités d’abord, avec leur nombre de rapports.",
                "parameters": [_param("q", "Ce qui est tapé (2 lettres au moins à la fin).", {"type": "string"},
                                      required=True),
                               _param("limit", "Noms au plus.", {"type": "integer", "minimum": 1, "maximum": 20,
                                                                 "default": 8})],
                "responses": {"200": _ok("Suggestions", "Les noms."), "400": ERROR}}},
            "/api/openapi.json": {"get": {
                "operationId": "openapi", "summary": "Ce document",
                "responses": {"200": {"description": "Le document OpenAPI.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        },
        "components": {"schemas": SCHEMAS, "responses": {"Error": {
            "description": "Une erreur : un paramètre invalide ou inconnu (400), rien à cette adresse (404).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
    }
