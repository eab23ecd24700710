"use client";
import { ErrorPanel } from "@/components/layout/error-panel";

// Inside the management layout: the menu stays, so the person can go elsewhere.
export default ErrorPanel;
