from django.apps import AppConfig


class CellsConfig(AppConfig):
    name = "lantoa.cells"
    label = "cells"
